using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>Client assertions (private_key_jwt, RFC 7523) as a test needs them: right, or wrong in one way.</summary>
public static class ClientAssertion
{
    public const string Type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private static readonly ConcurrentDictionary<string, ECDsaSecurityKey> Keys = new();

    /// <summary>An assertion as the worker makes it, or changed: <paramref name="jwtId"/> "" leaves the jti out.</summary>
    public static string Create(string privateKeyPem, string clientId, string audience,
        DateTime? issuedAt = null, TimeSpan? lifetime = null, string? jwtId = null, string? subject = null)
    {
        // One key object per PEM: IdentityModel caches a signer per key, so a disposed key would break the next call.
        var key = Keys.GetOrAdd(privateKeyPem, pem =>
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            var key = new ECDsaSecurityKey(ecdsa);
            key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
            return key;
        });
        var now = issuedAt ?? DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "client-authentication+jwt",
            Issuer = clientId,
            Audience = audience,
            Claims = jwtId == ""
                ? new Dictionary<string, object> { ["sub"] = subject ?? clientId }
                : new Dictionary<string, object> { ["sub"] = subject ?? clientId, ["jti"] = jwtId ?? Guid.NewGuid().ToString("N") },
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromSeconds(60)),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>A client credentials request authenticated by <paramref name="assertion"/> alone.</summary>
    public static KeyValuePair<string, string>[] ClientCredentials(string assertion, string scope = "stats.read") =>
    [
        new("grant_type", "client_credentials"),
        new("scope", scope),
        new("client_assertion_type", Type),
        new("client_assertion", assertion),
    ];
}
