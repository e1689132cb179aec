using System.Net;
using System.Text.RegularExpressions;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.WebClient;

/// <summary>
/// Sessions of the web client, which runs as two replicas. A browserless user (one cookie jar)
/// talks to each at its own address: sessions, sign-in state and the flow journal live in webdb,
/// so either serves.
/// </summary>
public class WebClientSessionTests(AppHostFixture fixture)
{
    /// <summary>Tokens live 70 s for the web client here and it renews a minute before expiry.</summary>
    private static readonly TimeSpan UntilRefreshIsDue = AppHostFixture.WebClientTokenLifetime - TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(2);

    private sealed class Browser(CookieContainer cookies, HttpClient first, HttpClient second, AuthServerClient authServer) : IDisposable
    {
        public CookieContainer Cookies { get; } = cookies;
        public HttpClient First { get; } = first;
        public HttpClient Second { get; } = second;
        public AuthServerClient AuthServer { get; } = authServer;

        public void Dispose()
        {
            First.Dispose();
            Second.Dispose();
            AuthServer.Dispose();
        }
    }

    private async Task<Browser> OpenBrowserAsync()
    {
        var replicas = await fixture.App.WaitForReplicasAsync("webclient", 2, Ct);
        var cookies = new CookieContainer();
        // Aspire's proxy passes TCP through: a browser's requests reach a replica with the proxy's
        // Host header, from which the web client builds its redirect URI. So do these.
        var publicHost = fixture.EndpointOf("webclient").Authority;
        HttpClient On(Replica replica) => new(new BrowserCookies(cookies))
        {
            BaseAddress = replica.Endpoint,
            Timeout = TimeSpan.FromSeconds(60),
            DefaultRequestHeaders = { Host = publicHost },
        };
        return new Browser(cookies, On(replicas[0]), On(replicas[1]), new AuthServerClient(fixture.EndpointOf("authserver")));
    }

    /// <summary>Starts the sign-in on the first replica and completes the callback on the second.</summary>
    private async Task SignInAcrossReplicasAsync(Browser browser, string user = AppHostFixture.WebReplicaUser)
    {
        using var login = await browser.First.GetAsync("/account/login", Ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var authorize = login.Headers.Location!;
        Assert.Equal(fixture.EndpointOf("authserver").Authority, authorize.Authority);

        var outcome = await browser.AuthServer.As(user, fixture.Secrets.TestUserPassword).RunAsync(authorize.PathAndQuery, Ct);
        Assert.True(outcome.RedirectedTo?.AbsolutePath == "/signin-oidc", $"Not back at the web client: {outcome.RedirectedTo} {outcome.Status}");

        // The OIDC state and correlation cookie were made by the first replica; the second reads them.
        using var callback = await browser.Second.GetAsync(outcome.RedirectedTo!.PathAndQuery, Ct);
        Assert.True(callback.StatusCode == HttpStatusCode.Redirect, $"Callback on the second replica: {(int)callback.StatusCode} {await callback.Content.ReadAsStringAsync(Ct)}");
        Assert.Contains(browser.Cookies.GetAllCookies(), c => c.Name == "oauthdemo.web");
        Assert.Equal("/", callback.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_session_created_on_one_replica_is_used_on_the_other()
    {
        using var browser = await OpenBrowserAsync();
        await SignInAcrossReplicasAsync(browser);

        foreach (var replica in new[] { browser.First, browser.Second })
        {
            using var profile = await replica.GetAsync("/profile", Ct);
            Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
            Assert.Contains("Ivan Example", await profile.Content.ReadAsStringAsync(Ct));

            // The flow inspector's record of this sign-in, written by both replicas, reads on either.
            var flow = await replica.GetStringAsync("/flow", Ct);
            Assert.Contains("code_challenge", flow); // recorded by the first replica
            Assert.Contains("code_verifier", flow);  // recorded by the second
        }
    }

    [Fact]
    public async Task Concurrent_requests_of_one_session_on_both_replicas_refresh_once_and_stay_signed_in()
    {
        using var browser = await OpenBrowserAsync();
        await SignInAcrossReplicasAsync(browser);

        await Task.Delay(UntilRefreshIsDue, Ct);
        // Every request sees a token about to expire; all of them, on both replicas, at once.
        var requests = Enumerable.Range(0, 16).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? browser.First : browser.Second).GetAsync("/notes", Ct);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct));
        });
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode)); // nobody was signed out
        Assert.All(responses, r => Assert.DoesNotContain("data-testid=\"api-error\"", r.Body));
        var flow = await browser.First.GetStringAsync("/flow", Ct);
        Assert.Single(Regex.Matches(flow, "old refresh token")); // exactly one redemption

        // And the session goes on with the new tokens.
        using var after = await browser.Second.GetAsync("/notes", Ct);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Signing_in_with_a_planted_session_cookie_starts_a_new_session_and_ends_the_planted_one()
    {
        // The attacker signs in and keeps the session cookie...
        using var attacker = await OpenBrowserAsync();
        await SignInAcrossReplicasAsync(attacker, AppHostFixture.RefreshUser);
        var planted = attacker.Cookies.GetAllCookies().Single(c => c.Name == "oauthdemo.web");

        // ...which the victim's browser is made to send when the victim signs in.
        using var victim = await OpenBrowserAsync();
        victim.Cookies.Add(new Cookie(planted.Name, planted.Value, planted.Path, planted.Domain));
        await SignInAcrossReplicasAsync(victim);

        var victimCookie = victim.Cookies.GetAllCookies().Single(c => c.Name == "oauthdemo.web");
        Assert.NotEqual(planted.Value, victimCookie.Value);
        Assert.Contains("Ivan Example", await victim.First.GetStringAsync("/profile", Ct));
        // The planted session is over: its cookie opens nothing, and certainly not the victim's session.
        using var withPlanted = await attacker.First.GetAsync("/profile", Ct);
        Assert.Equal(HttpStatusCode.Redirect, withPlanted.StatusCode);
        Assert.Contains("/account/login", withPlanted.Headers.Location!.OriginalString);
    }
}
