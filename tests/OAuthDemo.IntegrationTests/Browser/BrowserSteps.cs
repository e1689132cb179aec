using Microsoft.Playwright;

namespace OAuthDemo.IntegrationTests.Browser;

/// <summary>What a person does on the auth server's pages, in Playwright terms.</summary>
public static class BrowserSteps
{
    /// <summary>Fills the auth server's login form; answers the consent page when it comes. True if consent was asked.</summary>
    public static async Task<bool> SignInAtAuthServerAsync(IPage page, string authServer, string user, string password)
    {
        await WaitForAsync(page, url => url.StartsWith(authServer, StringComparison.Ordinal) && url.Contains("/account/login"), "the login page");
        await page.Locator("input[name=username]").FillAsync(user);
        await page.Locator("input[name=password]").FillAsync(password);
        await page.Locator("form button[type=submit]").ClickAsync();

        await WaitForAsync(page, url => !url.Contains("/account/login"), "leaving the login page");
        if (!page.Url.StartsWith(authServer + "connect/authorize", StringComparison.Ordinal))
            return false;

        await page.Locator("button[name=decision][value=allow]").ClickAsync();
        await WaitForAsync(page, url => !url.StartsWith(authServer, StringComparison.Ordinal), "the redirect back to the client");
        return true;
    }

    /// <summary>
    /// Waits until the page's URL satisfies <paramref name="url"/>, by polling. (WaitForURLAsync
    /// right after a click can miss a navigation that committed in between, then waits for
    /// another that never comes.) On time-out, says where the browser is and leaves a screenshot.
    /// </summary>
    public static async Task WaitForAsync(IPage page, Func<string, bool> url, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!url(page.Url))
        {
            if (DateTime.UtcNow > deadline)
            {
                var name = $"timeout-{Guid.NewGuid():N}";
                await ScreenshotAsync(page, name);
                var text = await page.Locator("body").InnerTextAsync();
                throw new TimeoutException($"Waited for {what}; still at {page.Url} (screenshot {name}.png): {text[..Math.Min(text.Length, 500)]}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// What the browser refused under a page's Content-Security-Policy (it says so on the console):
    /// a test of a working page asserts this stays empty, so the policy breaks nothing.
    /// </summary>
    public static List<string> WatchPolicyViolations(IBrowserContext context)
    {
        var violations = new List<string>();
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                lock (violations)
                    violations.Add(message.Text);
        };
        return violations;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true });
}
