namespace OAuthDemo.Worker;

/// <summary>The <c>Worker</c> configuration section.</summary>
public sealed class WorkerSettings
{
    public const string SectionName = "Worker";

    /// <summary>How often <c>GET /api/stats</c> is called.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    public string ClientId { get; set; } = "worker";

    /// <summary>
    /// The private key (PKCS#8 PEM, ECDSA P-256) the worker signs its client assertions with; the
    /// auth server knows only its public half (AuthServer:Clients:worker:JsonWebKeySet).
    /// </summary>
    public string? ClientKey { get; set; }

    public string Scope { get; set; } = "stats.read";

    /// <summary>The resource API; by default found through Aspire service discovery.</summary>
    public Uri ResourceApi { get; set; } = new("https+http://resourceapi");

    /// <summary>
    /// The longest wait between calls while they fail: after each failure the wait doubles, from
    /// <see cref="Interval"/> up to this, so a service that is down is not hammered and is found
    /// again soon after it is back.
    /// </summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Consecutive failed calls after which the health check reports unhealthy.</summary>
    public int UnhealthyAfterFailures { get; set; } = 3;
}
