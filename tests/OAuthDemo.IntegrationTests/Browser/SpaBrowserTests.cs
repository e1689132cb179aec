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

        // Nothing token-like survives in web storage, and the code is gone from the address bar.
        var storage = await page.EvaluateAsync<string>("() => JSON.stringify({ local: Object.entries(localStorage), session: Object.entries(sessionStorage) })");
        Assert.Equal("{\"local\":[],\"session\":[]}", storage);
        Assert.DoesNotContain("code=", page.Url);
        await BrowserSteps.ScreenshotAsync(page, "spa");
    }
}
