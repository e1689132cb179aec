namespace OAuthDemo.AuthServer.Data;

/// <summary>
/// A private key the auth server signs (<c>sig</c>) or encrypts (<c>enc</c>) tokens with, kept in
/// the database so that restarts and every replica use the same keys.
/// </summary>
public sealed class SigningKey
{
    /// <summary>The key id (<c>kid</c>) published in the JWKS.</summary>
    public required string Id { get; init; }

    /// <summary><c>sig</c> or <c>enc</c>, as in a JWK's <c>use</c>.</summary>
    public required string Use { get; init; }

    public required string Algorithm { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it starts signing; before that it is only published.</summary>
    public DateTimeOffset ActivatesAt { get; init; }

    /// <summary>When it stops signing; it stays published until tokens it signed have expired.</summary>
    public DateTimeOffset? RetiresAt { get; set; }

    /// <summary>The private key, protected with ASP.NET Core Data Protection.</summary>
    public required string ProtectedKey { get; init; }
}
