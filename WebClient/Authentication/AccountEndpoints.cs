using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OAuthDemo.WebClient.Authentication;

internal static class AccountEndpoints
{
    /// <summary>Where sign-out ends: the home page says "you are signed out".</summary>
    public const string SignedOutQuery = "signed_out";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/login", Login);
        app.MapPost("/account/logout", LogoutAsync);
        return app;
    }

    /// <summary>Starts the authorization code flow; afterwards the user lands on a local page only.</summary>
    private static IResult Login(string? returnUrl) =>
        Results.Challenge(
            new AuthenticationProperties { RedirectUri = RedirectHttpResult.IsLocalUrl(returnUrl) ? returnUrl : "/" },
            [OpenIdConnectDefaults.AuthenticationScheme]);

    /// <summary>
    /// RP-initiated logout: the refresh token is revoked, the local session ends, and the browser
    /// goes to the auth server's end-session endpoint (with id_token_hint) and back home, which says so.
    /// </summary>
    private static async Task<IResult> LogoutAsync(HttpContext http, IAntiforgery antiforgery, RefreshTokenClient refreshTokens)
    {
        // A cross-site form cannot sign the user out; a missing or wrong token is the caller's fault (400).
        if (!await antiforgery.IsRequestValidAsync(http))
            return Results.BadRequest();

        if (await http.GetTokenAsync("refresh_token") is { } refreshToken)
            await refreshTokens.RevokeAsync(refreshToken, http.RequestAborted);

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        // The OIDC handler answers with the redirect to the end-session endpoint.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = $"/?{SignedOutQuery}=true" }, [OpenIdConnectDefaults.AuthenticationScheme]);
    }
}
