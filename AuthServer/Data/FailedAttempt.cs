namespace OAuthDemo.AuthServer.Data;

/// <summary>
/// Failures of one source (an address, an address and user name, an address and client id) in
/// its current window, shared by every replica (<see cref="Authorization.FailedAttemptLimiter"/>).
/// </summary>
public sealed class FailedAttempt
{
    /// <summary>SHA-256 of the source: what was typed as a user name is never stored.</summary>
    public required string Source { get; init; }

    public DateTimeOffset WindowStart { get; set; }

    public int Failures { get; set; }

    /// <summary>The limit of this kind of source when it last failed: blocked from <see cref="Failures"/> = Limit on.</summary>
    public int Limit { get; set; }
}
