using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace OAuthDemo.AppHost;

/// <summary>
/// A client's private key for private_key_jwt (RFC 7523): an ECDSA P-256 key (ES256) as PKCS#8
/// PEM, generated once and kept in the AppHost's user secrets like the other secrets. The client
/// gets the key; the auth server gets only <see cref="PublicKeySetAsync">its public half</see>.
/// </summary>
public static class ClientKey
{
    public static IResourceBuilder<ParameterResource> AddClientKey(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddSecretMadeOnce(name, Create);

    /// <summary>A fresh private key, as PEM; the tests use one per run.</summary>
    public static string Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The JWKS the auth server registers for the client: the public key only, with its RFC 7638 thumbprint as kid.</summary>
    public static async Task<string> PublicKeySetAsync(ParameterResource privateKey, CancellationToken ct)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(await privateKey.GetValueAsync(ct) ?? throw new InvalidOperationException($"Parameter {privateKey.Name} has no value."));
        using var publicKey = ECDsa.Create(key.ExportParameters(includePrivateParameters: false));
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(publicKey));
        jwk.Kid = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
        jwk.Use = JsonWebKeyUseNames.Sig;
        jwk.Alg = SecurityAlgorithms.EcdsaSha256;
        var set = new { keys = new[] { new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = jwk.Kid, use = jwk.Use, alg = jwk.Alg } } };
        return JsonSerializer.Serialize(set);
    }
}
