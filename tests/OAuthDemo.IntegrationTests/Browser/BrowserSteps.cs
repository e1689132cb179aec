using Microsoft.Playwright;

namespace OAuthDemo.IntegrationTests.Browser;

/// <summary>What a person does on the auth server's pages, in Playwright terms.</summary>
public static class BrowserSteps
{
    /// <summary>Fills the auth server's login form; answers the consent page when it comes. True if consent was asked.</summary>
    public static async Task<bool> SignInAtAuthServerAsync(IPage page, string authServer, string user, string password)
    {
        await page.WaitForURLAsync(url => url.StartsWith(authServer, StringComparison.Ordinal) && url.Contains("/account/login"));
        await page.Locator("input[name=username]").FillAsync(user);
        await page.Locator("input[name=password]").FillAsync(password);
        await page.Locator("form button[type=submit]").ClickAsync();

        await page.WaitForURLAsync(url => !url.Contains("/account/login"));
        if (!page.Url.StartsWith(authServer + "connect/authorize", StringComparison.Ordinal))
            return false;

        await page.Locator("button[name=decision][value=allow]").ClickAsync();
        await page.WaitForURLAsync(url => !url.StartsWith(authServer, StringComparison.Ordinal));
        return true;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true });
}
