namespace OAuthDemo.AppHost;

/// <summary>
/// A client of the auth server, as data. <see cref="DemoClientResourceExtensions.WithClient"/>
/// turns it into the auth server's <c>AuthServer:Clients:{ClientId}:…</c> configuration, which
/// the server validates and registers at start-up.
/// </summary>
public sealed record DemoClient(string ClientId)
{
    public string? DisplayName { get; init; }

    /// <summary>A shared secret. With <see cref="ClientKey"/> absent too: a public client (it cannot keep a secret).</summary>
    public IResourceBuilder<ParameterResource>? Secret { get; init; }

    /// <summary>
    /// A private key (<see cref="AppHost.ClientKey"/>): the client authenticates with JWTs it signs
    /// (private_key_jwt, RFC 7523); the auth server registers only the public key.
    /// </summary>
    public IResourceBuilder<ParameterResource>? ClientKey { get; init; }

    /// <summary>Its authorization requests must be pushed first (PAR, RFC 9126).</summary>
    public bool RequirePushedAuthorization { get; init; }

    /// <summary>Compared exactly by the server: no wildcards, no prefixes (RFC 9700 §2.1).</summary>
    public IReadOnlyList<ReferenceExpression> RedirectUris { get; init; } = [];

    public IReadOnlyList<ReferenceExpression> PostLogoutRedirectUris { get; init; } = [];

    public IReadOnlyList<string> GrantTypes { get; init; } = [];

    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary><c>explicit</c> (the user is asked; the default) or <c>implicit</c>.</summary>
    public string? ConsentType { get; init; }

    /// <summary>May call the introspection endpoint.</summary>
    public bool Introspect { get; init; }

    /// <summary>Overrides the server's access token lifetime for this client.</summary>
    public TimeSpan? AccessTokenLifetime { get; init; }

    /// <summary>Overrides how long after the user's sign-in this client's refresh tokens stop working.</summary>
    public TimeSpan? RefreshTokenMaxLifetime { get; init; }
}

/// <summary>The sample's clients: who may ask for what, and where the answers go.</summary>
public static class DemoClients
{
    /// <summary>
    /// The BFF: confidential, code + PKCE + refresh, explicit consent so learners see the page. It
    /// must push its authorization requests (PAR): the browser carries only a request_uri.
    /// </summary>
    public static DemoClient WebClient(IResourceBuilder<ProjectResource> webClient, IResourceBuilder<ParameterResource> secret)
    {
        var web = webClient.PublicEndpoint();
        // The attack lab (/lab, Development only) runs a stolen-code attack through its own callback
        // and introspects the token it revokes; a published deployment registers neither.
        var lab = webClient.ApplicationBuilder.ExecutionContext.IsRunMode;
        return new("webclient")
        {
            DisplayName = "OAuthDemo web client (BFF)",
            Secret = secret,
            RedirectUris = lab
                ? [ReferenceExpression.Create($"{web}/signin-oidc"), ReferenceExpression.Create($"{web}/lab/callback")]
                : [ReferenceExpression.Create($"{web}/signin-oidc")],
            Introspect = lab,
            PostLogoutRedirectUris = [ReferenceExpression.Create($"{web}/signout-callback-oidc")],
            GrantTypes = ["authorization_code", "refresh_token"],
            Scopes = ["openid", "profile", "email", "offline_access", "notes.read", "notes.write"],
            ConsentType = "explicit",
            RequirePushedAuthorization = true,
        };
    }

    /// <summary>
    /// The browser-only variant on the web client's /spa page: a public client, so PKCE is its only
    /// proof of possession, and its refresh tokens rotate on every use (RFC 9700 §4.14.2).
    /// </summary>
    public static DemoClient Spa(IResourceBuilder<ProjectResource> webClient)
    {
        var web = webClient.PublicEndpoint();
        return new("spa")
        {
            DisplayName = "OAuthDemo single-page app (public client)",
            RedirectUris = [ReferenceExpression.Create($"{web}/spa")],
            PostLogoutRedirectUris = [ReferenceExpression.Create($"{web}/spa")],
            GrantTypes = ["authorization_code", "refresh_token"],
            Scopes = ["openid", "profile", "offline_access", "notes.read", "notes.write"],
            ConsentType = "explicit",
        };
    }

    /// <summary>
    /// Machine to machine: client credentials, for the stats scope only. No shared secret: it signs a
    /// short-lived assertion with its own private key (private_key_jwt).
    /// </summary>
    public static DemoClient Worker(IResourceBuilder<ParameterResource> clientKey) => new("worker")
    {
        DisplayName = "OAuthDemo worker",
        ClientKey = clientKey,
        GrantTypes = ["client_credentials"],
        Scopes = ["stats.read"],
    };

    /// <summary>The API's own identity: no grants, only the right to introspect tokens issued for it.</summary>
    public static DemoClient ResourceApi(IResourceBuilder<ParameterResource> secret) => new("resource-api")
    {
        DisplayName = "OAuthDemo resource API",
        Secret = secret,
        Introspect = true,
    };
}

public static class DemoClientResourceExtensions
{
    /// <summary>Registers <paramref name="client"/> with the auth server, through its configuration.</summary>
    public static IResourceBuilder<ProjectResource> WithClient(this IResourceBuilder<ProjectResource> authServer, DemoClient client)
    {
        // A published manifest cannot compute the public key from a key it does not hold: the
        // operator supplies both, the public JWKS as its own (not secret) parameter.
        var publishedKeySet = client.ClientKey is { } clientKey && authServer.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? authServer.ApplicationBuilder.AddParameter($"{clientKey.Resource.Name}-jwks")
            : null;
        return authServer.WithEnvironment(async context =>
        {
            var settings = new ConfigurationSection(context.EnvironmentVariables, $"AuthServer__Clients__{client.ClientId}");
            settings["DisplayName"] = client.DisplayName ?? client.ClientId;
            settings["ClientSecret"] = client.Secret?.Resource;
            if (publishedKeySet is not null)
                settings["JsonWebKeySet"] = publishedKeySet.Resource;
            else if (client.ClientKey is { } key)
                settings["JsonWebKeySet"] = await AppHost.ClientKey.PublicKeySetAsync(key.Resource, context.CancellationToken);
            settings["RequirePushedAuthorization"] = client.RequirePushedAuthorization ? "true" : null;
            settings.List("RedirectUris", client.RedirectUris);
            settings.List("PostLogoutRedirectUris", client.PostLogoutRedirectUris);
            settings.List("GrantTypes", client.GrantTypes);
            settings.List("Scopes", client.Scopes);
            settings["ConsentType"] = client.ConsentType;
            settings["Introspect"] = client.Introspect ? "true" : null;
            settings["AccessTokenLifetime"] = client.AccessTokenLifetime?.ToString("c");
            settings["RefreshTokenMaxLifetime"] = client.RefreshTokenMaxLifetime?.ToString("c");
        });
    }

    /// <summary>Registers a user (created or updated at the auth server's start).</summary>
    public static IResourceBuilder<ProjectResource> WithUser(this IResourceBuilder<ProjectResource> authServer, DemoUser user) =>
        authServer.WithEnvironment(context =>
        {
            var settings = new ConfigurationSection(context.EnvironmentVariables, $"AuthServer__Users__{user.UserName}");
            settings["Password"] = user.Password.Resource;
            settings["Email"] = user.Email;
            settings["DisplayName"] = user.DisplayName;
        });

    /// <summary>Environment variables under one configuration key; a null value sets nothing.</summary>
    private readonly struct ConfigurationSection(Dictionary<string, object> environment, string prefix)
    {
        public object? this[string key]
        {
            set
            {
                if (value is not null)
                    environment[$"{prefix}__{key}"] = value;
            }
        }

        public void List<T>(string key, IReadOnlyList<T> values) where T : notnull
        {
            for (var i = 0; i < values.Count; i++)
                environment[$"{prefix}__{key}__{i}"] = values[i];
        }
    }
}

/// <summary>A demo user; the password is a generated secret parameter.</summary>
public sealed record DemoUser(string UserName, IResourceBuilder<ParameterResource> Password)
{
    public string? Email { get; init; }

    public string? DisplayName { get; init; }
}
