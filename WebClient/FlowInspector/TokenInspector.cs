using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OAuthDemo.WebClient.FlowInspector;

/// <summary>A JWT taken apart for display: header, claims, and whether its signature checks out.</summary>
public sealed record DecodedToken(string Name, string Header, string Claims, bool SignatureVerified, string Verification);

/// <summary>
/// Decodes tokens for the flow inspector and checks their signatures against the auth server's
/// JWKS (the keys the OIDC handler already fetched). Tokens themselves are never logged or shown
/// raw; opaque ones (refresh tokens) appear only as a fingerprint.
/// </summary>
public sealed class TokenInspector(IOptionsMonitor<OpenIdConnectOptions> oidc)
{
    /// <summary>The audience of the access tokens this client gets: the notes API.</summary>
    public const string ApiAudience = "resource-api";

    // Relaxed escaping: "at+jwt" reads as at+jwt, not at\u002Bjwt (the page HTML-encodes anyway).
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<DecodedToken> DecodeAsync(string name, string jwt, string expectedAudience, CancellationToken ct)
    {
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(jwt))
            return new DecodedToken(name, "", "", false, "Not a JWT.");

        var token = handler.ReadJsonWebToken(jwt);
        var header = Indent(Base64UrlEncoder.Decode(token.EncodedHeader));
        var claims = Indent(Base64UrlEncoder.Decode(token.EncodedPayload));

        var options = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
        var configuration = await options.ConfigurationManager!.GetConfigurationAsync(ct);
        var result = await handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeys = configuration.SigningKeys,
            ValidIssuer = configuration.Issuer,
            ValidAudience = expectedAudience,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
            ValidateLifetime = false, // the page also shows old steps; lifetime is shown, not judged
        });

        return result.IsValid
            ? new DecodedToken(name, header, claims, true, $"Signature verified with key {token.Kid} from the JWKS; issuer and audience ({expectedAudience}) checked.")
            : new DecodedToken(name, header, claims, false, $"Not verified: {result.Exception?.Message}");
    }

    /// <summary>A short, stable fingerprint of an opaque token: enough to tell two apart, useless to an attacker.</summary>
    public static string Fingerprint(string? token) =>
        token is null ? "(none)" : "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..16].ToLowerInvariant();

    /// <summary>A token as the inspector shows one that was sent: its first characters (a JWT's header) and its fingerprint.</summary>
    public static string Mask(string? token) =>
        token is null ? "(none)" : $"{token[..Math.Min(10, token.Length)]}… (masked; {token.Length} characters, {Fingerprint(token)})";

    /// <summary>RFC 7636 §4.2: the S256 code challenge of a verifier.</summary>
    public static string S256(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static string Indent(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, Pretty);
    }
}
