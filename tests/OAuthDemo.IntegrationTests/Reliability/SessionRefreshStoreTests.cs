using System.Net;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Reliability;

/// <summary>
/// The web client redeems a session's refresh token and then cannot store the new tokens (the
/// database going away at that moment, as a trigger makes it here): the spent refresh token must
/// never be redeemed again (a replay revokes the whole sign-in), so the new tokens are stored once
/// the database is back, and the user stays signed in. A PostgreSQL restart under load caught this.
/// </summary>
[Collection(nameof(DisruptiveTests))]
[Trait("Category", "Reliability")]
public class SessionRefreshStoreTests(AppHostFixture fixture)
{
    private static readonly TimeSpan UntilRefreshIsDue = AppHostFixture.WebClientTokenLifetime - TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(2);

    [Fact]
    public async Task New_tokens_that_could_not_be_stored_are_stored_later_and_the_session_goes_on()
    {
        using var browser = WebClientBrowser.Open(fixture);
        await browser.SignInAsync(fixture, AppHostFixture.WebReplicaUser, fixture.Secrets.TestUserPassword);
        await Task.Delay(UntilRefreshIsDue, Ct);

        await using (await FailingTokenStoresAsync())
        {
            // This request refreshes (its tokens are about to expire) and cannot store the result.
            using var during = await browser.GetAsync("/notes", Ct);
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
            Assert.DoesNotContain("data-testid=\"api-error\"", await during.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // Once the database takes writes again, the kept tokens are stored: every request, on
        // either replica, finds the session with tokens that are not due for renewal.
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        for (var i = 0; i < 6; i++)
        {
            using var after = await browser.GetAsync("/notes", Ct);
            var html = await after.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.True(html.Contains("data-testid=\"notes\"", StringComparison.Ordinal) || html.Contains("data-testid=\"no-notes\"", StringComparison.Ordinal),
                $"The session did not survive: {html}");
        }
        Assert.Contains(fixture.LogOf("webclient"), line => line.Contains("New tokens of a session stored after the database came back", StringComparison.Ordinal));
    }

    /// <summary>Until disposed, webdb refuses to change a session's tokens as a lost connection would.</summary>
    private async Task<IAsyncDisposable> FailingTokenStoresAsync() =>
        await Sql.FailingWritesAsync(await fixture.ConnectionStringOfAsync("webdb"), "Sessions", "UPDATE",
            "OLD.\"TokensExpireAt\" IS DISTINCT FROM NEW.\"TokensExpireAt\"");
}
