using Aspire.Hosting.Publishing;

namespace OAuthDemo.AppHost;

internal static class ServiceProjectExtensions
{
    /// <summary>
    /// Adds a service with the launch profile named like the AppHost's own (<c>http</c> or
    /// <c>https</c>), which fixes its port. Each service's first profile, <c>standalone</c>, has
    /// no URL so that `dotnet run --project X` alone honours ASPNETCORE_URLS. A published manifest
    /// also gets its replicas and health probes (<see cref="DeploymentManifest"/>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddServiceProject<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
        var profile = builder.Configuration["DOTNET_LAUNCH_PROFILE"] == "https" ? "https" : "http";
        return builder.AddProject<TProject>(name, launchProfileName: profile).WithDeploymentManifest();
    }

    /// <summary>The endpoint browsers and services use: https when the launch profile has it, else http.</summary>
    public static EndpointReference PublicEndpoint(this IResourceBuilder<ProjectResource> project) =>
        project.Resource.Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == "https")
            ? project.GetEndpoint("https")
            : project.GetEndpoint("http");

    /// <summary>Named links in the dashboard's resource list, to the pages a learner opens first (paths on the public endpoint).</summary>
    public static IResourceBuilder<ProjectResource> WithLinks(this IResourceBuilder<ProjectResource> project, params (string Text, string Path)[] links) =>
        project.WithUrls(context =>
        {
            var endpoint = project.PublicEndpoint();
            foreach (var (text, path) in links)
                context.Urls.Add(new ResourceUrlAnnotation { Url = endpoint.Url.TrimEnd('/') + path, DisplayText = text, Endpoint = endpoint });
        });

    /// <summary>Makes the endpoint's own link in the dashboard lead to a page that exists, by name (a service with no page at <c>/</c>).</summary>
    public static IResourceBuilder<ProjectResource> WithEndpointLinkTo(this IResourceBuilder<ProjectResource> project, string path, string text) =>
        project.WithUrlForEndpoint(project.PublicEndpoint().EndpointName, url =>
        {
            url.Url = url.Url.TrimEnd('/') + path;
            url.DisplayText = text;
        });

    /// <summary>Passes the project its own public endpoint in an environment variable.</summary>
    public static IResourceBuilder<ProjectResource> WithOwnEndpointAs(this IResourceBuilder<ProjectResource> project, string variable) =>
        project.WithEnvironment(variable, project.PublicEndpoint());

    /// <summary>
    /// A secret generated on first run and kept in the AppHost's user secrets, so a demo password
    /// stays the same between runs; shown in the dashboard's Parameters tab, never committed.
    /// <c>Parameters__{name}=…</c> in the environment sets it instead.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedSecret(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);

    /// <summary>
    /// A secret this AppHost makes once with <paramref name="make"/> (a key, a certificate) and keeps
    /// in its user secrets. Published, it is a plain secret parameter the platform supplies
    /// (docs/deploy.md): nothing made on this machine goes into the manifest.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddSecretMadeOnce(this IDistributedApplicationBuilder builder, string name, Func<string> make) =>
        builder.ExecutionContext.IsPublishMode
            ? builder.AddParameter(name, secret: true)
            : builder.AddParameter(name, new MadeOnce(make), secret: true, persist: true);

    private sealed class MadeOnce(Func<string> make) : ParameterDefault
    {
        public override string GetDefaultValue() => make();

        public override void WriteToManifest(ManifestPublishingContext context) { }
    }

    /// <summary>The flow inspector links its steps to traces in the dashboard, when there is one.</summary>
    public static IResourceBuilder<ProjectResource> WithDashboardLinks(this IResourceBuilder<ProjectResource> webClient, IDistributedApplicationBuilder builder) =>
        builder.ExecutionContext.IsRunMode && builder.Configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } dashboard
            ? webClient.WithEnvironment("WebClient__DashboardUrl", dashboard)
            : webClient;
}
