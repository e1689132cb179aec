namespace OAuthDemo.WebClient;

/// <summary>The <c>WebClient</c> configuration section.</summary>
public sealed class WebClientSettings
{
    public const string SectionName = "WebClient";

    public string ClientId { get; set; } = "webclient";

    public string? ClientSecret { get; set; }

    public string[] Scopes { get; set; } = ["openid", "profile", "email", "offline_access", "notes.read", "notes.write"];

    /// <summary>The public client used by the /spa page.</summary>
    public string SpaClientId { get; set; } = "spa";

    /// <summary>Renew the access token when it has less than this left.</summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The Aspire dashboard, for links from the flow inspector to traces (optional).</summary>
    public string? DashboardUrl { get; set; }
}

/// <summary>Where the other services are: configuration when set, else Aspire service discovery.</summary>
public static class ServiceUrls
{
    public static string AuthServer(IConfiguration config) =>
        config["WebClient:Authority"] is { Length: > 0 } configured ? configured
        : Discovered(config, "authserver") ?? throw new InvalidOperationException(
            "No auth server: set WebClient:Authority (e.g. WebClient__Authority=http://localhost:5100) or run under the AppHost.");

    public static string ResourceApi(IConfiguration config) =>
        config["WebClient:ResourceApi"] is { Length: > 0 } configured ? configured
        : Discovered(config, "resourceapi") ?? throw new InvalidOperationException(
            "No resource API: set WebClient:ResourceApi (e.g. WebClient__ResourceApi=http://localhost:5200) or run under the AppHost.");

    private static string? Discovered(IConfiguration config, string service) =>
        config[$"services:{service}:https:0"] ?? config[$"services:{service}:http:0"];
}
