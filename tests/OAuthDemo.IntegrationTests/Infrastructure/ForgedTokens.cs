using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>Tampered variants of a real access token, each one a known attack on JWT validation.</summary>
public static class ForgedTokens
{
    private static (JsonObject Header, string Payload, string Signature) Split(string jwt)
    {
        var parts = jwt.Split('.');
        return ((JsonObject)JsonNode.Parse(Base64UrlEncoder.Decode(parts[0]))!, parts[1], parts[2]);
    }

    private static string Encode(JsonObject header) => Base64UrlEncoder.Encode(header.ToJsonString());

    /// <summary>One character of the signature changed.</summary>
    public static string FlipSignature(string jwt)
    {
        var (header, payload, signature) = Split(jwt);
        var chars = signature.ToCharArray();
        var middle = chars.Length / 2;
        chars[middle] = chars[middle] == 'A' ? 'B' : 'A';
        return $"{Encode(header)}.{payload}.{new string(chars)}";
    }

    /// <summary>A scope added to the claims; the header and the auth server's signature kept as they were.</summary>
    public static string WithScopeAdded(string jwt, string scope)
    {
        var parts = jwt.Split('.');
        var claims = (JsonObject)JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        claims["scope"] = $"{claims["scope"]} {scope}".Trim();
        return $"{parts[0]}.{Base64UrlEncoder.Encode(claims.ToJsonString())}.{parts[2]}";
    }

    /// <summary>RFC 8725 §2.1: "alg": "none" and no signature.</summary>
    public static string AlgNone(string jwt)
    {
        var (header, payload, _) = Split(jwt);
        header["alg"] = "none";
        return $"{Encode(header)}.{payload}.";
    }

    /// <summary>
    /// RFC 8725 §2.1 algorithm confusion: HS256 with the server's public RSA key (as PEM text) as the
    /// HMAC secret, which a validator that trusts the header's alg would accept.
    /// </summary>
    public static string Hs256WithPublicKey(string jwt, JsonWebKey publicKey)
    {
        var (header, payload, _) = Split(jwt);
        header["alg"] = "HS256";
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64UrlEncoder.DecodeBytes(publicKey.N),
            Exponent = Base64UrlEncoder.DecodeBytes(publicKey.E),
        });
        var secret = Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem());
        var input = $"{Encode(header)}.{payload}";
        return $"{input}.{Base64UrlEncoder.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)))}";
    }

    /// <summary>Validly signed, but by a key the server never published, under the server's real kid.</summary>
    public static string SignedByUnknownKey(string jwt)
    {
        var (header, payload, _) = Split(jwt);
        using var rsa = RSA.Create(2048);
        var input = $"{Encode(header)}.{payload}";
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{input}.{Base64UrlEncoder.Encode(signature)}";
    }
}
