namespace OAuthDemo.AppHost;

internal static class ServiceProjectExtensions
{
    /// <summary>
    /// Adds a service with the launch profile named like the AppHost's own (<c>http</c> or
    /// <c>https</c>), which fixes its port. Each service's first profile, <c>standalone</c>, has
    /// no URL so that `dotnet run --project X` alone honours ASPNETCORE_URLS.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddServiceProject<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
        var profile = builder.Configuration["DOTNET_LAUNCH_PROFILE"] == "https" ? "https" : "http";
        return builder.AddProject<TProject>(name, launchProfileName: profile);
    }
}
