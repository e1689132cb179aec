using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.WebUtilities;
using OAuthDemo.WebClient.Flow;

namespace OAuthDemo.WebClient.Authentication;

internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/login", LoginAsync);
        app.MapPost("/account/logout", LogoutAsync);
        return app;
    }

    /// <summary>Starts the authorization code flow and records the request the browser is sent with.</summary>
    private static async Task LoginAsync(HttpContext http, FlowJournal journal, string? returnUrl)
    {
        var flow = journal.Start();
        var properties = new AuthenticationProperties { RedirectUri = IsLocal(returnUrl) ? returnUrl : "/" };
        properties.Items[FlowJournal.PropertyKey] = flow.Id;

        await http.ChallengeAsync(OpenIdConnectDefaults.AuthenticationScheme, properties);

        // The handler has answered with a redirect to the authorization endpoint: record exactly that.
        var location = http.Response.Headers.Location.ToString();
        var query = QueryHelpers.ParseQuery(new Uri(location).Query);
        journal.Record(flow.Id, "Authorization request",
            "The browser is redirected to the auth server's authorization endpoint. code_challenge is the SHA-256 (S256) of a random code_verifier that stays on this server; state protects against CSRF and nonce binds the ID token to this request.",
            query.Select(p => KeyValuePair.Create(p.Key, p.Value.ToString())),
            url: location);
    }

    /// <summary>
    /// RP-initiated logout: the refresh token is revoked, the local session ends, and the browser
    /// goes to the auth server's end-session endpoint (with id_token_hint) and back home.
    /// </summary>
    private static async Task<IResult> LogoutAsync(HttpContext http, IAntiforgery antiforgery, TokenRefresher tokens)
    {
        // A cross-site form cannot sign the user out; a missing or wrong token is the caller's fault (400).
        if (!await antiforgery.IsRequestValidAsync(http))
            return Results.BadRequest();

        if (await http.GetTokenAsync("refresh_token") is { } refreshToken)
            await tokens.RevokeAsync(refreshToken, http.RequestAborted);

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        // The OIDC handler answers with the redirect to the end-session endpoint.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIdConnectDefaults.AuthenticationScheme]);
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
