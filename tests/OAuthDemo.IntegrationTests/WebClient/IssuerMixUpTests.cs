using System.Net;
using System.Text.RegularExpressions;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.WebClient;

/// <summary>
/// RFC 9207: the web client refuses an authorization response whose iss is another server's, or
/// missing, before it redeems the code. The sign-in runs over HTTP with one cookie jar (a
/// browser's), and the redirect back to the web client is changed on its way.
/// </summary>
public class IssuerMixUpTests(AppHostFixture fixture)
{
    [Theory]
    [InlineData("unchanged", true)] // the control: the same sign-in, untouched, succeeds
    [InlineData("another issuer", false)]
    [InlineData("no issuer", false)]
    public async Task Only_an_authorization_response_from_the_auth_server_signs_in(string change, bool signsIn)
    {
        var cookies = new CookieContainer();
        // The web client's correlation and nonce cookies are Secure: kept as a browser keeps them on localhost.
        using var web = new HttpClient(new BrowserCookies(cookies)) { BaseAddress = fixture.EndpointOf("webclient") };
        using var server = new AuthServerClient(fixture.EndpointOf("authserver"), cookies);

        using var start = await web.GetAsync("/account/login", Ct);
        var outcome = await server.As(AppHostFixture.MixUpUser, fixture.Secrets.TestUserPassword).RunAsync(start.Headers.Location!.PathAndQuery, Ct);
        var callback = outcome.RedirectedTo?.PathAndQuery ?? throw new Xunit.Sdk.XunitException($"No redirect back: {outcome.Status} {outcome.Html}");
        Assert.Contains("iss=", callback);
        var altered = change switch
        {
            "another issuer" => Regex.Replace(callback, "iss=[^&]*", "iss=" + Uri.EscapeDataString("https://attacker.example/")),
            "no issuer" => Regex.Replace(callback, "&iss=[^&]*", ""),
            _ => callback,
        };
        Assert.Equal(change == "unchanged", altered == callback);

        using var back = await web.GetAsync(altered, Ct);

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var session = cookies.GetAllCookies().Any(c => c.Name == "oauthdemo.web");
        if (signsIn)
        {
            Assert.Equal("/", back.Headers.Location!.OriginalString);
            Assert.True(session, "no session after a good sign-in");
        }
        else
        {
            Assert.Equal("/?signin_error=failed", back.Headers.Location!.OriginalString);
            Assert.False(session, "a session after a refused sign-in");
        }
    }
}
