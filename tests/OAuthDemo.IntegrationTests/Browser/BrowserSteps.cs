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

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true });
}
