namespace OAuthDemo.AuthServer.Data;

/// <summary>
/// A private key the auth server signs (<c>sig</c>) or encrypts (<c>enc</c>) tokens with, kept in
/// the database so that restarts and every replica use the same keys.
/// </summary>
public sealed class TokenKey
{
    /// <summary>The key id (<c>kid</c>); signing keys are published in the JWKS under it.</summary>
    public required string Id { get; init; }

    /// <summary><c>sig</c> or <c>enc</c>, as in a JWK's <c>use</c>.</summary>
    public required string Use { get; init; }

    public required string Algorithm { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// When it starts signing (or encrypting); from <see cref="CreatedAt"/> until then it is only
    /// published. Brought forward by "rotate now".
    /// </summary>
    public DateTimeOffset ActivatesAt { get; set; }

    /// <summary>
    /// When its successor activates and it stops signing; it stays published (and accepted) for the
    /// retirement period after that, then is removed. Null while it has no successor.
    /// </summary>
    public DateTimeOffset? RetiresAt { get; set; }

    /// <summary>The private key, protected with ASP.NET Core Data Protection.</summary>
    public required string ProtectedKey { get; init; }
}
