using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace OAuthDemo.IntegrationTests.Browser;

/// <summary>The /spa page: PKCE in the browser as the public client spa, tokens in memory only.</summary>
public class SpaBrowserTests(AppHostFixture fixture, BrowserFixture browser)
{
    private string Web => fixture.EndpointOf("webclient").ToString().TrimEnd('/');
    private string AuthServer => fixture.EndpointOf("authserver").ToString();

    [Fact]
    public async Task Alice_signs_in_in_the_browser_calls_the_api_refreshes_and_leaves_no_token_in_storage()
    {
        await using var context = await browser.NewContextAsync();
        var policyViolations = BrowserSteps.WatchPolicyViolations(context);
        var page = await context.NewPageAsync();
        var tokenRequests = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(AuthServer + "connect/token", StringComparison.Ordinal))
                tokenRequests.Add(request.PostData ?? "");
        };

        await page.GotoAsync(Web + "/spa");
        await page.GetByTestId("spa-signin").ClickAsync();
        var consentAsked = await BrowserSteps.SignInAtAuthServerAsync(page, AuthServer, "alice", fixture.Secrets.AlicePassword);
        // Back on /spa?code=…; the page exchanges the code and then removes it from the address bar.
        await BrowserSteps.WaitForAsync(page, url => url.StartsWith(Web + "/spa", StringComparison.Ordinal), "the return to /spa");
        await page.GetByTestId("spa-status").Filter(new() { HasText = "held in memory" }).WaitForAsync();

        Assert.True(consentAsked);
        var me = await page.GetByTestId("spa-me").TextContentAsync();
        Assert.Contains("\"clientId\": \"spa\"", me);
        var notes = (await page.GetByTestId("spa-notes").TextContentAsync())!.Trim();
        Assert.StartsWith("[", notes); // the API answered with the list, not an error

        // The exchange was done by the page itself, as a public client with a PKCE verifier and no secret.
        var exchange = Assert.Single(tokenRequests);
        Assert.Contains("grant_type=authorization_code", exchange);
        Assert.Contains("code_verifier=", exchange);
        Assert.Contains("client_id=spa", exchange);
        Assert.DoesNotContain("client_secret", exchange);

        // The refresh token rotates: the page spends it for new tokens, again as a public client
        // (client_id, no secret), and the API accepts the new access token.
        await page.GetByTestId("spa-refresh").ClickAsync();
        await page.GetByTestId("spa-status").Filter(new() { HasText = "Refreshed" }).WaitForAsync();
        Assert.Equal(2, tokenRequests.Count);
        Assert.Contains("grant_type=refresh_token", tokenRequests[1]);
        Assert.Contains("client_id=spa", tokenRequests[1]);
        Assert.DoesNotContain("client_secret", tokenRequests[1]);
        Assert.Contains("\"clientId\": \"spa\"", await page.GetByTestId("spa-me").TextContentAsync());

        // The page's own inspector: its requests in order, tokens masked, claims decoded, times in words.
        await page.GetByTestId("spa-call-again").ClickAsync();
        var journal = page.GetByTestId("spa-step");
        await journal.Filter(new() { HasText = "API call" }).Nth(4).WaitForAsync(); // me and notes, after sign-in, refresh and "again"
        var titles = await journal.Locator("h3").AllTextContentsAsync();
        Assert.Equal(["Authorization request", "Authorization response", "Token request", "Token response"], titles.Take(4));
        Assert.Contains("Refresh", titles);
        var inspected = await page.GetByTestId("spa-journal").TextContentAsync();
        Assert.Contains("code_challenge_method", inspected);
        Assert.Contains("(masked;", inspected);
        Assert.Contains("expires in", inspected);
        Assert.DoesNotMatch(@"eyJ[A-Za-z0-9_-]{20,}\.", inspected); // no whole token
        Assert.DoesNotMatch(@"code_verifier\s*[A-Za-z0-9_-]{40}", inspected);
        Assert.Equal("#inspector", await page.GetByRole(AriaRole.Link, new() { Name = "This page's inspector" }).GetAttributeAsync("href"));

        // Nothing token-like survives in web storage, and the code is gone from the address bar.
        var storage = await page.EvaluateAsync<string>("() => JSON.stringify({ local: Object.entries(localStorage), session: Object.entries(sessionStorage) })");
        Assert.Equal("{\"local\":[],\"session\":[]}", storage);
        Assert.DoesNotContain("code=", page.Url);
        // The page's fetches to the auth server and the API are within its connect-src.
        Assert.Empty(policyViolations);
        await BrowserSteps.ScreenshotAsync(page, "spa");
    }

    [Fact]
    public async Task A_script_injected_into_the_page_does_not_run()
    {
        await using var context = await browser.NewContextAsync();
        var policyViolations = BrowserSteps.WatchPolicyViolations(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync(Web + "/spa");

        // What an XSS bug would do: an inline script in the page. script-src 'self' refuses it.
        try
        {
            await page.AddScriptTagAsync(new() { Content = "window.injected = true;" });
        }
        catch (PlaywrightException)
        {
            // Playwright reports the refused script as an error too.
        }

        Assert.False(await page.EvaluateAsync<bool>("() => window.injected === true"));
        Assert.Contains(policyViolations, v => v.Contains("script-src", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_error_response_that_this_page_did_not_ask_for_is_not_shown()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        // Anyone can send a victim to /spa?error=…; without our state it is not the auth server's answer.
        await page.GotoAsync(Web + "/spa?error=access_denied&error_description=Call+0800+FRAUD+now&state=forged");
        var error = page.Locator("#error");
        await error.WaitForAsync();

        Assert.Contains("state does not match", await error.TextContentAsync());
        Assert.DoesNotContain("FRAUD", await page.Locator("body").InnerTextAsync());
    }

    [Theory]
    [InlineData("https://elsewhere.example/")]
    [InlineData(null)]
    public async Task An_authorization_response_without_this_servers_iss_is_refused(string? iss)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        // The request leaves with this page's state; the answer that comes back is a mix-up's
        // (RFC 9207): another server's iss, or none although discovery promises one.
        string? state = null;
        await page.RouteAsync(AuthServer + "connect/authorize**", route =>
        {
            state = QueryHelpers.ParseQuery(new Uri(route.Request.Url).Query)["state"];
            return route.FulfillAsync(new() { Body = "held by the test", ContentType = "text/plain" });
        });
        await page.GotoAsync(Web + "/spa");
        await page.GetByTestId("spa-signin").ClickAsync();
        await BrowserSteps.WaitForAsync(page, url => url.StartsWith(AuthServer + "connect/authorize", StringComparison.Ordinal), "the authorization request");

        await page.GotoAsync($"{Web}/spa?code=from-elsewhere&state={Uri.EscapeDataString(state!)}" + (iss is null ? "" : $"&iss={Uri.EscapeDataString(iss)}"));
        var error = page.Locator("#error");
        await error.WaitForAsync();

        Assert.Contains("unexpected issuer", await error.TextContentAsync());
        Assert.Equal("Not signed in.", await page.GetByTestId("spa-status").TextContentAsync());
    }

    [Fact]
    public async Task An_id_token_issued_for_another_request_is_refused()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        // The authorization request reaches the server with a nonce this page never made, as a
        // code injected from another request would carry.
        await page.RouteAsync(AuthServer + "connect/authorize**", route =>
        {
            var url = new UriBuilder(route.Request.Url);
            var query = QueryHelpers.ParseQuery(url.Query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
            if (query.ContainsKey("nonce"))
                query["nonce"] = "not-this-pages-nonce";
            url.Query = QueryString.Create(query).Value!.TrimStart('?');
            return route.ContinueAsync(new() { Url = url.Uri.ToString() });
        });

        await page.GotoAsync(Web + "/spa");
        await page.GetByTestId("spa-signin").ClickAsync();
        await BrowserSteps.SignInAtAuthServerAsync(page, AuthServer, "bob", fixture.Secrets.BobPassword);
        await BrowserSteps.WaitForAsync(page, url => url.StartsWith(Web + "/spa", StringComparison.Ordinal), "the return to /spa");
        var error = page.Locator("#error");
        await error.WaitForAsync();

        Assert.Contains("nonce", await error.TextContentAsync());
        Assert.Equal("Not signed in.", await page.GetByTestId("spa-status").TextContentAsync());
    }
}
