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

    /// <summary>When the key may start to be used.</summary>
    public DateTimeOffset ActivatesAt { get; init; }

    /// <summary>After this the key is no longer loaded; null while it is in use.</summary>
    public DateTimeOffset? RetiresAt { get; set; }

    /// <summary>The private key, protected with ASP.NET Core Data Protection.</summary>
    public required string ProtectedKey { get; init; }
}
