namespace OAuthDemo.AuthServer.Data;

/// <summary>
/// A client assertion (private_key_jwt) that has been accepted once, by its jti, kept until it
/// expires so that no replica accepts it again (RFC 7523 §3, item 7).
/// </summary>
public sealed class UsedClientAssertion
{
    public required string ClientId { get; init; }

    public required string JwtId { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }
}
