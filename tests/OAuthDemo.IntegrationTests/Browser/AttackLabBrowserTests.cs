using Microsoft.Playwright;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Browser;

/// <summary>
/// The attack lab in a real browser: every card's attack is sent for real, and what the card shows
/// is the servers' own answer (status, OAuth error, WWW-Authenticate), refused.
/// </summary>
public class AttackLabBrowserTests(AppHostFixture fixture, BrowserFixture browser)
{
    private string Web => fixture.EndpointOf("webclient").ToString().TrimEnd('/');
    private string AuthServer => fixture.EndpointOf("authserver").ToString();

    [Fact]
    public async Task Every_attack_is_tried_for_real_and_refused()
    {
        await using var context = await browser.NewContextAsync();
        var policyViolations = BrowserSteps.WatchPolicyViolations(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync(Web + "/account/login?returnUrl=%2Flab");
        Assert.True(await BrowserSteps.SignInAtAuthServerAsync(page, AuthServer, AppHostFixture.LabUser, fixture.Secrets.TestUserPassword));
        await BrowserSteps.WaitForAsync(page, url => url == Web + "/lab", "the attack lab");

        // The way a learner finds it: from the home page and from the flow inspector.
        foreach (var from in new[] { "/", "/flow" })
        {
            await page.GotoAsync(Web + from);
            Assert.Equal("/lab", await page.GetByTestId("lab-link").GetAttributeAsync("href"));
        }
        await page.GotoAsync(Web + "/lab");

        // Stolen code: a real authorization through this browser (prompt=none, no page), then the code redeemed three ways.
        var stolen = await RunAsync(page, "stolen-code");
        Assert.Equal(["201 Created", "400 Bad Request", "400 Bad Request", "200 OK", "200 OK"], await StatusesAsync(stolen));
        Assert.Equal("invalid_grant", await stolen.GetByTestId("exchange").Nth(2).GetByTestId("error").TextContentAsync());
        Assert.Contains("the code still worked", await VerdictAsync(stolen));

        var tampered = await RunAsync(page, "tampered-token");
        Assert.Equal(["401 Unauthorized", "401 Unauthorized", "401 Unauthorized"], await StatusesAsync(tampered));
        Assert.All(await tampered.GetByTestId("www-authenticate").AllTextContentsAsync(), challenge => Assert.Contains("error=\"invalid_token\"", challenge));

        var idToken = await RunAsync(page, "wrong-token-type");
        Assert.Equal(["401 Unauthorized"], await StatusesAsync(idToken));
        Assert.Contains("error=\"invalid_token\"", await idToken.GetByTestId("www-authenticate").TextContentAsync());

        var scope = await RunAsync(page, "missing-scope");
        Assert.Equal(["403 Forbidden"], await StatusesAsync(scope));
        Assert.Contains("error=\"insufficient_scope\"", await scope.GetByTestId("www-authenticate").TextContentAsync());

        var redirect = await RunAsync(page, "redirect-uri-swap");
        var redirectStatuses = await StatusesAsync(redirect);
        Assert.Equal("400 Bad Request", redirectStatuses[0]);
        Assert.StartsWith("4", redirectStatuses[1]);
        Assert.Equal(0, await redirect.GetByTestId("location").CountAsync()); // no redirect at all: the code goes nowhere

        var forged = await RunAsync(page, "forged-callback");
        Assert.Equal(["302 Found"], await StatusesAsync(forged));
        Assert.Contains("signin_error=failed", await forged.GetByTestId("location").TextContentAsync());
        Assert.Equal("Lara Example", await page.GetByTestId("signed-in-as").TextContentAsync()); // still herself

        // Revocation is real at the auth server; the API, validating JWTs alone, still answers until expiry.
        var revoked = await RunAsync(page, "revoked-token");
        Assert.Equal(["200 OK", "200 OK", "200 OK", "200 OK"], await StatusesAsync(revoked));
        Assert.Contains("active: false", await VerdictAsync(revoked));
        await BrowserSteps.ScreenshotAsync(page, "lab");

        // Replayed refresh token: the page warns first, the sign-in is revoked, and she is signed in again.
        var replay = page.GetByTestId("attack-replayed-refresh-token");
        Assert.Contains("ends your session", await replay.TextContentAsync());
        await replay.GetByTestId("run-replayed-refresh-token").ClickAsync();
        await BrowserSteps.WaitForAsync(page, url => url.StartsWith(Web + "/lab", StringComparison.Ordinal), "the lab after signing in again");
        var outcome = replay.GetByTestId("outcome");
        await outcome.WaitForAsync();
        Assert.Equal("Refused", await outcome.GetAttributeAsync("data-result"));
        Assert.Equal(["400 Bad Request", "400 Bad Request"], await StatusesAsync(replay));
        Assert.Equal(["invalid_grant", "invalid_grant"], await replay.GetByTestId("error").AllTextContentsAsync());
        Assert.Equal("Lara Example", await page.GetByTestId("signed-in-as").TextContentAsync());

        // Every run is a span of its own, linked from its card.
        Assert.StartsWith(AppHostFixture.DashboardUrl, await replay.GetByTestId("span-link").GetAttributeAsync("href"));
        Assert.Empty(policyViolations);
    }

    private static async Task<ILocator> RunAsync(IPage page, string attack)
    {
        var card = page.GetByTestId($"attack-{attack}");
        await card.GetByTestId($"run-{attack}").ClickAsync();
        var outcome = card.GetByTestId("outcome");
        await outcome.WaitForAsync();
        var result = await outcome.GetAttributeAsync("data-result");
        Assert.True(result == "Refused", $"{attack}: {result}: {await outcome.InnerTextAsync()}");
        return card;
    }

    private static async Task<string[]> StatusesAsync(ILocator card) => [.. await card.GetByTestId("status").AllTextContentsAsync()];

    private static async Task<string> VerdictAsync(ILocator card) => await card.GetByTestId("verdict").TextContentAsync() ?? "";
}
