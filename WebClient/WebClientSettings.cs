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

    /// <summary>
    /// How long the flow inspector keeps a sign-in that never completed: starting one takes no
    /// account, so these records must not pile up (completed ones are kept for a working day).
    /// </summary>
    public TimeSpan PendingFlowLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The Aspire dashboard, for links from the flow inspector to traces (optional).</summary>
    public string? DashboardUrl { get; set; }

    /// <summary>
    /// The attack lab (/lab), where a learner tries attacks on their own session: on unless switched
    /// off here, and never outside Development, whatever this says.
    /// </summary>
    public bool AttackLab { get; set; } = true;
}

/// <summary>Where the other services are: configuration when set, else Aspire service discovery.</summary>
public static class ServiceUrls
{
    public static string AuthServer(IConfiguration config) => config.GetAuthority();

    public static string ResourceApi(IConfiguration config) => config.GetServiceAddress("resourceapi", "WebClient:ResourceApi");
}
