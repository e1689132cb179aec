using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace OAuthDemo.WebClient.Authentication;

/// <summary>
/// Keeps a session's access token fresh: on each request, when it has less than
/// <c>WebClient:RefreshBeforeExpiry</c> left, it is renewed with the refresh token. A refused
/// refresh (revoked, replayed, expired) ends the session instead of failing every API call.
/// </summary>
public sealed class SessionCookieEvents(RefreshTokenClient refreshTokens, IOptions<WebClientSettings> settings, TimeProvider clock)
    : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var session = context.Properties;
        if (!DateTimeOffset.TryParse(session.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiresAt)
            || expiresAt - clock.GetUtcNow() > settings.Value.RefreshBeforeExpiry)
            return;

        var refreshToken = session.GetTokenValue("refresh_token");
        var tokens = refreshToken is null ? null : await refreshTokens.RefreshAsync(refreshToken, session);
        if (tokens is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        session.UpdateTokenValue("access_token", tokens.AccessToken);
        if (tokens.RefreshToken is not null)
            session.UpdateTokenValue("refresh_token", tokens.RefreshToken);
        if (tokens.IdToken is not null)
            session.UpdateTokenValue("id_token", tokens.IdToken);
        session.UpdateTokenValue("expires_at", tokens.ExpiresAt.ToString("o", CultureInfo.InvariantCulture));
        context.ShouldRenew = true; // store the new tokens in the session ticket
    }
}
