using Microsoft.Playwright;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Browser;

/// <summary>
/// The web client renews its access token before it expires, and ends the session when the auth
/// server refuses. Its tokens live 70 s here and it renews a minute before expiry: after 10 s.
/// </summary>
public class WebClientRefreshTests(AppHostFixture fixture, BrowserFixture browser)
{
    private static readonly TimeSpan UntilRefreshIsDue = AppHostFixture.WebClientTokenLifetime - TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(2);

    private string Web => fixture.EndpointOf("webclient").ToString().TrimEnd('/');
    private string AuthServer => fixture.EndpointOf("authserver").ToString();

    private async Task<IPage> SignInAsync(IBrowserContext context, string user)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(Web + "/account/login");
        await BrowserSteps.SignInAtAuthServerAsync(page, AuthServer, user, fixture.Secrets.TestUserPassword);
        await BrowserSteps.WaitForAsync(page, url => url == Web + "/", "the web client's home page");
        return page;
    }

    [Fact]
    public async Task The_access_token_is_renewed_before_it_expires_and_the_inspector_shows_the_rotation()
    {
        await using var context = await browser.NewContextAsync();
        var page = await SignInAsync(context, AppHostFixture.RefreshUser);

        await Task.Delay(UntilRefreshIsDue, Ct);
        await page.GotoAsync(Web + "/notes");

        Assert.Equal(0, await page.GetByTestId("api-error").CountAsync());
        await page.GotoAsync(Web + "/flow");
        var refresh = page.GetByTestId("flow-step").Filter(new() { HasText = "old refresh token" });
        Assert.Equal(1, await refresh.CountAsync());
        var text = await refresh.TextContentAsync();
        Assert.Contains("signature verified", text);
        var fingerprints = System.Text.RegularExpressions.Regex.Matches(text!, "sha256:[0-9a-f]{16}").Select(m => m.Value).ToList();
        Assert.Equal(2, fingerprints.Count);
        Assert.NotEqual(fingerprints[0], fingerprints[1]); // rotated
    }

    [Fact]
    public async Task A_refused_refresh_ends_the_session_cleanly()
    {
        await using var context = await browser.NewContextAsync();
        var page = await SignInAsync(context, AppHostFixture.RefusedRefreshUser);

        // The account gets locked (as an administrator would): its grants stop working.
        await Sql.ExecuteAsync(await fixture.ConnectionStringOfAsync("authdb"),
            """UPDATE "AspNetUsers" SET "LockoutEnd" = now() + interval '1 hour' WHERE "UserName" = @name""", ("name", AppHostFixture.RefusedRefreshUser));

        await Task.Delay(UntilRefreshIsDue, Ct);
        await page.GotoAsync(Web + "/notes");

        // The refresh was refused, so the web client signed out and sent the browser to sign in again.
        await BrowserSteps.WaitForAsync(page, url => url.StartsWith(AuthServer + "account/login", StringComparison.Ordinal), "the auth server's login page");
        Assert.DoesNotContain(await context.CookiesAsync([Web]), c => c.Name == "oauthdemo.web");
    }
}
