using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OAuthDemo.AuthServer.Configuration;
using OAuthDemo.AuthServer.Keys;

namespace OAuthDemo.AuthServer.Endpoints;

/// <summary>
/// <c>POST /admin/keys/rotate</c>: the next signing key activates as soon as every instance has it. Behind the AppHost's
/// "Rotate signing key now" command; it exists only when <c>AuthServer:Keys:AdminSecret</c> is set,
/// and answers 401 to any request without that secret in <c>X-Admin-Secret</c>.
/// </summary>
internal static class KeyRotationEndpoint
{
    public const string Path = "/admin/keys/rotate";
    public const string SecretHeader = "X-Admin-Secret";

    public static IEndpointRouteBuilder MapKeyRotationEndpoint(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<AuthServerSettings>>().Value.Keys.AdminSecret is { Length: > 0 })
            app.MapPost(Path, RotateAsync).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> RotateAsync(HttpContext http, IOptions<AuthServerSettings> settings, TokenKeyStore keys)
    {
        // Hashed first, so the comparison takes the same time whatever the lengths.
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(settings.Value.Keys.AdminSecret!));
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(http.Request.Headers[SecretHeader].ToString()));
        if (!CryptographicOperations.FixedTimeEquals(expected, presented))
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: $"This endpoint needs the {SecretHeader} header.");

        var next = await keys.RotateSigningKeyNowAsync(http.RequestAborted);
        return Results.Ok(new { signingKey = next.Id, activatesAt = next.ActivatesAt });
    }
}
