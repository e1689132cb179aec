using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>RFC 7636 proof key: a random verifier and its S256 challenge.</summary>
public sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce Create()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return new Pkce(verifier, S256(verifier));
    }

    public static string S256(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static string NewState() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
}
