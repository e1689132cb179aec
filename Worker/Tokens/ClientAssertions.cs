using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OAuthDemo.Worker.Tokens;

/// <summary>
/// Signs the worker's client assertions (private_key_jwt, RFC 7523 §2.2 and OpenID Connect Core
/// §9): the auth server holds only the public key, so nothing the worker sends can be replayed
/// as a password. Each assertion lives a minute and has its own jti, which the server accepts once.
/// </summary>
public sealed class ClientAssertions : IDisposable
{
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>Long enough to cross the network and a clock a little off; short enough to be useless later.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly ECDsa _key;
    private readonly SigningCredentials _credentials;
    private readonly string _clientId;
    private readonly TimeProvider _clock;
    private readonly JsonWebTokenHandler _handler = new();

    public ClientAssertions(IOptions<WorkerSettings> options, TimeProvider clock)
    {
        _clientId = options.Value.ClientId;
        _clock = clock;
        _key = ReadKey(options.Value.ClientKey);
        var securityKey = new ECDsaSecurityKey(_key);
        // The same kid the AppHost registered: the key's RFC 7638 thumbprint.
        securityKey.KeyId = Base64UrlEncoder.Encode(securityKey.ComputeJwkThumbprint());
        _credentials = new SigningCredentials(securityKey, SecurityAlgorithms.EcdsaSha256);
    }

    /// <summary>An assertion for the authorization server whose issuer identifier is <paramref name="audience"/>.</summary>
    public string Create(string audience)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            // Explicitly typed (RFC 8725 §3.11), so it cannot pass for any other kind of JWT.
            TokenType = "client-authentication+jwt",
            // iss = sub = the client (RFC 7523 §3); aud = the server's issuer identifier, the one
            // value that names it unambiguously and the only one the server accepts.
            Issuer = _clientId,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = _clientId,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = _credentials,
        });
    }

    /// <summary>Whether <paramref name="pem"/> is a private key the worker can sign with.</summary>
    public static bool IsUsableKey(string? pem)
    {
        try
        {
            ReadKey(pem).Dispose();
            return true;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }

    private static ECDsa ReadKey(string? pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.ExportParameters(includePrivateParameters: false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
                throw new ArgumentException("Worker:ClientKey must be a P-256 key (ES256).");
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public void Dispose() => _key.Dispose();
}
