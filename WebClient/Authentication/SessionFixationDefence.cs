using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace OAuthDemo.WebClient.Authentication;

/// <summary>
/// A sign-in always starts a session under a new key. The cookie handler would otherwise keep the
/// key of a session cookie the browser already sends (an earlier session, or one an attacker
/// planted to share the victim's session afterwards: session fixation) and write the new ticket
/// under it. So that session is ended and its cookie taken off the request first.
/// </summary>
public sealed class SessionFixationDefence(SessionTicketStore sessions, IOptionsMonitor<CookieAuthenticationOptions> cookies)
{
    // Where the cookie handler keeps the session key in the cookie's ticket (ASP.NET Core's own name).
    private const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    public async Task EndCurrentSessionAsync(HttpContext http)
    {
        var options = cookies.Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var name = options.Cookie.Name!;
        if (options.CookieManager.GetRequestCookie(http, name) is not { } cookie)
            return;

        if (options.TicketDataFormat.Unprotect(cookie)?.Principal?.FindFirst(SessionIdClaim)?.Value is { } key)
            await sessions.RemoveAsync(key);

        // The cookie handler reads the request's cookie when it signs in; without one it stores a new session.
        http.Request.Headers.Cookie = string.Join("; ", http.Request.Headers.Cookie
            .SelectMany(header => header!.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(pair => !pair.StartsWith(name + "=", StringComparison.Ordinal)));
    }
}
