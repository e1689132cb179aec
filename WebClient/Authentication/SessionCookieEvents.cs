using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace OAuthDemo.WebClient.Authentication;

/// <summary>
/// Keeps a session's access token fresh: on each request, when it has less than
/// <c>WebClient:RefreshBeforeExpiry</c> left, it is renewed with the refresh token, once per
/// session across all replicas (<see cref="SessionRefresher"/>). A refused refresh (revoked,
/// replayed, expired) ends the session instead of failing every API call; an auth server that does
/// not answer leaves the session as it is, to try again on a later request.
/// </summary>
public sealed class SessionCookieEvents(SessionRefresher refresher, IOptions<WebClientSettings> settings, TimeProvider clock)
    : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        if (SessionTicketStore.TokensExpireAt(context.Properties) is not { } expiresAt
            || expiresAt - clock.GetUtcNow() > settings.Value.RefreshBeforeExpiry)
            return;

        switch (await refresher.RefreshAsync(context.Properties))
        {
            case Refreshed:
                context.ShouldRenew = true; // a new cookie expiry; the stored ticket already has the tokens
                break;
            case Refused:
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                break;
        }
    }
}
