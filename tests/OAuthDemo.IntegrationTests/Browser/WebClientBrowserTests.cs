using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Browser;

/// <summary>The web client (BFF) in a real browser against the running system.</summary>
public class WebClientBrowserTests(AppHostFixture fixture, BrowserFixture browser)
{
    private string Web => fixture.EndpointOf("webclient").ToString().TrimEnd('/');
    private string AuthServer => fixture.EndpointOf("authserver").ToString();

    private async Task<IPage> SignInAsync(IBrowserContext context, string user, string password, bool expectConsent)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(Web + "/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).First.ClickAsync();
        var consentAsked = await BrowserSteps.SignInAtAuthServerAsync(page, AuthServer, user, password);
        Assert.Equal(expectConsent, consentAsked);
        await BrowserSteps.WaitForAsync(page, url => url == Web + "/", "the web client's home page");
        return page;
    }

    [Fact]
    public async Task Alice_signs_in_manages_notes_inspects_the_flow_and_signs_out_everywhere()
    {
        await using var context = await browser.NewContextAsync();
        var policyViolations = BrowserSteps.WatchPolicyViolations(context);
        var authorizationRequests = new List<string>();
        context.Request += (_, request) =>
        {
            if (request.Url.StartsWith(AuthServer + "connect/authorize", StringComparison.Ordinal))
                authorizationRequests.Add(request.Url);
        };

        // Sign in through the auth server's real login and consent pages. No other test gives alice's
        // consent for all of the web client's scopes, so the consent page is always asked here.
        var page = await SignInAsync(context, "alice", fixture.Secrets.AlicePassword, expectConsent: true);
        Assert.Contains("Alice Liddell", await page.GetByTestId("home-status").TextContentAsync());

        // The request was pushed (PAR): the browser carried client_id and request_uri, nothing else.
        Assert.NotEmpty(authorizationRequests);
        Assert.All(authorizationRequests, url =>
            Assert.Equal(["client_id", "request_uri"], QueryHelpers.ParseQuery(new Uri(url).Query).Keys.Order()));

        // Profile: the claims of the session, each explained.
        await page.GotoAsync(Web + "/profile");
        var claims = await page.GetByTestId("claims").TextContentAsync();
        Assert.Contains("preferred_username", claims);
        Assert.Contains("alice@example.com", claims);
        Assert.Contains("unique id at the auth server", await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "sub" }).First.TextContentAsync());

        // Notes through the API: add, see, delete.
        var text = $"Remember the milk {Guid.NewGuid():N}";
        await page.GotoAsync(Web + "/notes");
        await page.Locator("#text").FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        var note = page.GetByTestId("note").Filter(new() { HasText = text });
        await note.WaitForAsync();
        await BrowserSteps.ScreenshotAsync(page, "notes");
        await note.GetByRole(AriaRole.Button).ClickAsync();
        await note.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal(0, await page.GetByTestId("note").Filter(new() { HasText = text }).CountAsync());

        // Flow inspector: the push, its answer, the short redirect, then the code's way back; the
        // pushed challenge is the S256 of the verifier sent with the code.
        await page.GotoAsync(Web + "/flow");
        var challenge = await page.GetByTestId("code-challenge").TextContentAsync();
        var verifier = await page.GetByTestId("code-verifier").TextContentAsync();
        Assert.False(string.IsNullOrEmpty(verifier));
        Assert.Equal(Pkce.S256(verifier!), challenge);
        var steps = await page.GetByTestId("flow-step").Locator("h2").AllTextContentsAsync();
        Assert.Equal(
            [
                "Pushed authorization request (PAR)", "Pushed authorization response", "Authorization request",
                "Sign-in and consent at the auth server", "Authorization response", "Token request", "Token response",
                "ID token validated", "Userinfo request",
            ], steps.Take(9));
        Assert.Contains("First call to the API", steps);
        Assert.Contains(AuthServer + "connect/par", await page.GetByTestId("flow-step").Nth(0).TextContentAsync());
        var answer = await page.GetByTestId("flow-step").Nth(1).TextContentAsync();
        Assert.Contains("urn:ietf:params:oauth:request_uri:", answer);
        Assert.Contains("expires_in", answer);
        // What the user allowed at the auth server, and when they typed the password.
        var consent = await Step(page, "Sign-in and consent at the auth server").TextContentAsync();
        Assert.Contains("notes.write", consent);
        Assert.Matches(@"auth_time\s*\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC \((just now|\d+ s ago)\)", consent);
        // The userinfo answer, and the first API call with its token masked and the API's answer.
        Assert.Contains("alice@example.com", await Step(page, "Userinfo request").TextContentAsync());
        var apiCall = await Step(page, "First call to the API").TextContentAsync();
        Assert.Contains("/api/notes", apiCall);
        Assert.Contains("Bearer eyJ", apiCall);
        Assert.Contains("(masked;", apiCall);
        Assert.Contains("200 OK", apiCall);
        // Token times in words next to the raw claims.
        Assert.Contains("expires in", await Step(page, "Token response").GetByTestId("token-times").First.TextContentAsync());
        // Each step links to its own span; the span is real (the services' exports reach the tests).
        var links = await page.GetByTestId("span-link").EvaluateAllAsync<string[]>("links => links.map(l => l.href)");
        Assert.Equal(steps.Count, links.Length);
        Assert.All(links, link => Assert.StartsWith($"{AppHostFixture.DashboardUrl}/traces/detail/", link));
        Assert.Equal(links.Length, links.Distinct().Count());
        var tokenRequestLink = new Uri(await Step(page, "Token request").GetByTestId("span-link").GetAttributeAsync("href") ?? "");
        var spanId = QueryHelpers.ParseQuery(tokenRequestLink.Query)["spanId"].ToString();
        var traceId = tokenRequestLink.Segments[^1];
        Assert.NotEmpty(await fixture.Telemetry.WaitForSpansAsync(
            s => s.SpanId == spanId && s.TraceId == traceId && s.Service == "webclient" && s.Name == "Flow step: Token request", TimeSpan.FromSeconds(20)));
        Assert.DoesNotContain(fixture.Secrets.WebClientSecret, await page.ContentAsync());
        await BrowserSteps.ScreenshotAsync(page, "flow-inspector");

        // The browser holds a session cookie only: httpOnly, SameSite, Secure under https, no token in it.
        var cookies = await context.CookiesAsync([Web]);
        var session = Assert.Single(cookies, c => c.Name == "oauthdemo.web");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        Assert.Equal(Web.StartsWith("https", StringComparison.Ordinal), session.Secure);
        Assert.All(cookies, c => Assert.DoesNotContain("eyJ", c.Value)); // no JWT anywhere

        // Sign out: the auth server names the application and offers a way back; confirm there,
        // come back home, which says so.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await BrowserSteps.WaitForAsync(page, url => url.StartsWith(AuthServer + "connect/endsession", StringComparison.Ordinal), "the end-session page");
        Assert.Contains("returned to", await page.Locator("p.lead").TextContentAsync());
        Assert.Equal(Web + "/", await page.GetByTestId("cancel-sign-out").GetAttributeAsync("href"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await BrowserSteps.WaitForAsync(page, url => url.StartsWith(Web + "/?", StringComparison.Ordinal), "the web client's home page");
        Assert.Contains("not signed in", await page.GetByTestId("home-status").TextContentAsync());
        Assert.Contains("You are signed out", await page.GetByTestId("signed-out").TextContentAsync());

        // Signed out at the auth server too: signing in again asks for the password.
        await page.GotoAsync(Web + "/account/login");
        await BrowserSteps.WaitForAsync(page, url => url.StartsWith(AuthServer + "account/login", StringComparison.Ordinal), "the auth server's login page");
        Assert.Equal(1, await page.Locator("input[name=password]").CountAsync());
        // Every page, form and redirect above worked within both services' Content-Security-Policy.
        Assert.Empty(policyViolations);
    }

    private static ILocator Step(IPage page, string title) =>
        page.GetByTestId("flow-step").Filter(new() { Has = page.Locator("h2", new() { HasTextString = title }) }).First;

    [Fact]
    public async Task Bob_does_not_see_alices_notes()
    {
        // Alice writes a note through the API (her own session, not a browser).
        using var api = fixture.CreateApiClient();
        var alicesText = $"Alice's diary {Guid.NewGuid():N}";
        var created = await api.SendAsync(HttpMethod.Post, "/api/notes", await Tokens.ForAliceAsync(fixture, "openid notes.read notes.write", Ct), new { text = alicesText }, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.Status);

        await using var context = await browser.NewContextAsync();
        var page = await SignInAsync(context, "bob", fixture.Secrets.BobPassword, expectConsent: true);
        await page.GotoAsync(Web + "/notes");
        // The auth server's pages open in another tab meanwhile: on one host its forms' cookie must
        // not replace the web client's (browsers tell cookies apart by host, not port), or Add fails.
        var authServerTab = await context.NewPageAsync();
        await authServerTab.GotoAsync(AuthServer + "account/login");
        await authServerTab.CloseAsync();
        var bobsText = $"Bob's list {Guid.NewGuid():N}";
        await page.Locator("#text").FillAsync(bobsText);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await page.GetByTestId("note").Filter(new() { HasText = bobsText }).WaitForAsync();

        Assert.DoesNotContain(alicesText, await page.ContentAsync());
    }

    [Fact]
    public async Task Notes_need_a_session()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(Web + "/notes");

        // Straight to the auth server's login page, with the flow started by the web client.
        await BrowserSteps.WaitForAsync(page, url => url.StartsWith(AuthServer + "account/login", StringComparison.Ordinal), "the auth server's login page");
    }
}
