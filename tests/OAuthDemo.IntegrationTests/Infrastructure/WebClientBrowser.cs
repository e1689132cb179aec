using System.Net;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>A browserless user of the web client: one cookie jar, through the real pages.</summary>
public static class WebClientBrowser
{
    public static HttpClient Open(AppHostFixture fixture) =>
        new(new BrowserCookies(new CookieContainer())) { BaseAddress = fixture.EndpointOf("webclient"), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Signs in: /account/login, the auth server's pages (login, consent), the callback. What the auth server sent back.</summary>
    public static async Task<FlowOutcome> SignInAsync(this HttpClient browser, AppHostFixture fixture, string user, string password)
    {
        using var login = await browser.GetAsync("/account/login", Ct);
        Assert.True(login.Headers.Location is not null,
            $"/account/login answered {(int)login.StatusCode} without sending the browser to the auth server: {await login.Content.ReadAsStringAsync(Ct)}");
        using var server = fixture.CreateAuthServerClient();
        var outcome = await server.As(user, password).RunAsync(login.Headers.Location!.PathAndQuery, Ct);
        Assert.True(outcome.RedirectedTo is not null, $"Not sent back to the web client: {outcome.Status} {outcome.ErrorCode} after {string.Join(", ", outcome.PagesSeen)}");
        using var callback = await browser.GetAsync(outcome.RedirectedTo!.PathAndQuery, Ct);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        return outcome;
    }
}
