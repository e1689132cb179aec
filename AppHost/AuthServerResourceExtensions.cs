namespace OAuthDemo.AppHost;

/// <summary>How the AppHost, which knows every URL, configures the auth server (SPEC §1–2).</summary>
internal static class AuthServerResourceExtensions
{
    /// <summary>The endpoint browsers and services use: https when the launch profile has it, else http.</summary>
    public static EndpointReference PublicEndpoint(this IResourceBuilder<ProjectResource> project) =>
        project.Resource.Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == "https")
            ? project.GetEndpoint("https")
            : project.GetEndpoint("http");

    /// <summary>The flow inspector links its steps to traces in the dashboard, when there is one.</summary>
    public static IResourceBuilder<ProjectResource> WithDashboardLinks(this IResourceBuilder<ProjectResource> webClient, IDistributedApplicationBuilder builder) =>
        builder.Configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } dashboard
            ? webClient.WithEnvironment("WebClient__DashboardUrl", dashboard)
            : webClient;

    public static IResourceBuilder<ProjectResource> WithIssuerFromOwnEndpoint(this IResourceBuilder<ProjectResource> authServer) =>
        authServer.WithEnvironment("AuthServer__Issuer", authServer.PublicEndpoint());

    /// <summary>Registers the sample clients and demo users through configuration keys.</summary>
    public static IResourceBuilder<ProjectResource> WithDemoClientsAndUsers(
        this IResourceBuilder<ProjectResource> authServer, IResourceBuilder<ProjectResource> webClient, DemoSecrets secrets)
    {
        var web = webClient.PublicEndpoint();

        // The BFF: confidential, code + PKCE + refresh, with explicit consent so learners see the page.
        authServer
            .WithClientSetting("webclient", "ClientSecret", secrets.WebClientSecret)
            .WithClientSetting("webclient", "DisplayName", "OAuthDemo web client (BFF)")
            .WithClientSetting("webclient", "RedirectUris__0", ReferenceExpression.Create($"{web}/signin-oidc"))
            .WithClientSetting("webclient", "PostLogoutRedirectUris__0", ReferenceExpression.Create($"{web}/signout-callback-oidc"))
            .WithClientList("webclient", "GrantTypes", "authorization_code", "refresh_token")
            .WithClientList("webclient", "Scopes", "openid", "profile", "email", "offline_access", "notes.read", "notes.write")
            .WithClientSetting("webclient", "ConsentType", "explicit");

        // The browser-only variant: a public client, so PKCE is its only proof of possession.
        authServer
            .WithClientSetting("spa", "DisplayName", "OAuthDemo single-page app (public client)")
            .WithClientSetting("spa", "RedirectUris__0", ReferenceExpression.Create($"{web}/spa"))
            .WithClientSetting("spa", "PostLogoutRedirectUris__0", ReferenceExpression.Create($"{web}/spa"))
            .WithClientList("spa", "GrantTypes", "authorization_code", "refresh_token")
            .WithClientList("spa", "Scopes", "openid", "profile", "offline_access", "notes.read", "notes.write")
            .WithClientSetting("spa", "ConsentType", "explicit");

        // Machine to machine: client credentials for the stats scope only.
        authServer
            .WithClientSetting("worker", "ClientSecret", secrets.WorkerSecret)
            .WithClientSetting("worker", "DisplayName", "OAuthDemo worker")
            .WithClientList("worker", "GrantTypes", "client_credentials")
            .WithClientList("worker", "Scopes", "stats.read");

        // The API's own identity: no grants, only the right to introspect tokens issued for it.
        authServer
            .WithClientSetting("resource-api", "ClientSecret", secrets.ResourceApiSecret)
            .WithClientSetting("resource-api", "DisplayName", "OAuthDemo resource API")
            .WithClientSetting("resource-api", "Introspect", "true");

        return authServer
            .WithDemoUser("alice", secrets.AlicePassword, "alice@example.com", "Alice Liddell")
            .WithDemoUser("bob", secrets.BobPassword, "bob@example.com", "Bob Builder");
    }

    private static IResourceBuilder<ProjectResource> WithDemoUser(
        this IResourceBuilder<ProjectResource> authServer, string userName, IResourceBuilder<ParameterResource> password, string email, string displayName) =>
        authServer
            .WithEnvironment($"AuthServer__Users__{userName}__Password", password)
            .WithEnvironment($"AuthServer__Users__{userName}__Email", email)
            .WithEnvironment($"AuthServer__Users__{userName}__DisplayName", displayName);

    private static IResourceBuilder<ProjectResource> WithClientSetting(
        this IResourceBuilder<ProjectResource> authServer, string clientId, string key, string value) =>
        authServer.WithEnvironment($"AuthServer__Clients__{clientId}__{key}", value);

    private static IResourceBuilder<ProjectResource> WithClientSetting(
        this IResourceBuilder<ProjectResource> authServer, string clientId, string key, ReferenceExpression value) =>
        authServer.WithEnvironment($"AuthServer__Clients__{clientId}__{key}", value);

    private static IResourceBuilder<ProjectResource> WithClientSetting(
        this IResourceBuilder<ProjectResource> authServer, string clientId, string key, IResourceBuilder<ParameterResource> value) =>
        authServer.WithEnvironment($"AuthServer__Clients__{clientId}__{key}", value);

    private static IResourceBuilder<ProjectResource> WithClientList(
        this IResourceBuilder<ProjectResource> authServer, string clientId, string key, params string[] values)
    {
        for (var i = 0; i < values.Length; i++)
            authServer.WithClientSetting(clientId, $"{key}__{i}", values[i]);
        return authServer;
    }
}
