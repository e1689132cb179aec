using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace OAuthDemo.WebClient.Authentication;

/// <summary>
/// Keeps a session's access token fresh: on each request, when it has less than
/// <c>WebClient:RefreshBeforeExpiry</c> left, it is renewed with the refresh token, once per
/// session across all replicas. A refused refresh (revoked, replayed, expired) ends the session
/// instead of failing every API call.
/// </summary>
public sealed class SessionCookieEvents(
    SessionTicketStore sessions, RefreshTokenClient refreshTokens, IOptions<WebClientSettings> settings, TimeProvider clock)
    : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var session = context.Properties;
        if (!DateTimeOffset.TryParse(session.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiresAt)
            || expiresAt - clock.GetUtcNow() > settings.Value.RefreshBeforeExpiry)
            return;

        if (!await sessions.RefreshOnceAsync(session, (refreshToken, ct) => refreshTokens.RedeemAsync(refreshToken, session, ct)))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.ShouldRenew = true; // a new cookie expiry; the tokens are already in the stored ticket
    }
}
