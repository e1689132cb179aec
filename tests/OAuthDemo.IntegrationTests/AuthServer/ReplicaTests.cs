using System.Net;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

/// <summary>
/// The AppHost runs two auth-server replicas. Each test talks to each replica at its own address,
/// so a request is known to land on the one named: everything they share lives in authdb.
/// </summary>
public class ReplicaTests(AppHostFixture fixture)
{
    private async Task<(AuthServerClient First, AuthServerClient Second)> BrowserOnBothReplicasAsync()
    {
        var replicas = await fixture.App.WaitForReplicasAsync("authserver", 2, Ct);
        var cookies = new CookieContainer(); // one browser: cookies of localhost go to either port
        return (new AuthServerClient(replicas[0].Endpoint, cookies), new AuthServerClient(replicas[1].Endpoint, cookies));
    }

    private async Task<TokenResponse> SignInAcrossReplicasAsync(AuthServerClient first, AuthServerClient second)
    {
        // Authorization request on the first replica: it sends the browser to its login page.
        var client = Flows.ImplicitConsentClient(fixture, first);
        using var authorize = await first.GetAsync(client.AuthorizeUrl("openid offline_access notes.read"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var loginPage = authorize.Headers.Location!;
        Assert.StartsWith("/account/login", new Uri(first.BaseAddress, loginPage).PathAndQuery);

        // The login form (antiforgery, sign-in cookie) and the code come from the second replica.
        var outcome = await second.As(AppHostFixture.ReplicaUser, fixture.Secrets.TestUserPassword)
            .RunAsync(new Uri(first.BaseAddress, loginPage).PathAndQuery, Ct);
        Assert.True(outcome.Code is not null, $"No code: {outcome.RedirectedTo} {outcome.Status} {outcome.Html}");
        Assert.Equal(["login"], outcome.PagesSeen);

        // And the first replica redeems the code the second issued.
        var tokens = await client.ExchangeAsync(outcome.Code!, Ct);
        Assert.True(tokens.AccessToken is not null && tokens.RefreshToken is not null, $"No tokens: {tokens}");
        return tokens;
    }

    [Fact]
    public async Task A_login_started_on_one_replica_finishes_on_the_other()
    {
        var (first, second) = await BrowserOnBothReplicasAsync();
        using (first)
        using (second)
        {
            var tokens = await SignInAcrossReplicasAsync(first, second);

            // One issuer whichever replica signed: the address clients know (Aspire's proxy).
            using var proxy = fixture.CreateAuthServerClient();
            var validation = await proxy.ValidateJwtAsync(tokens.AccessToken!, "resource-api", "at+jwt", Ct);
            Assert.True(validation.IsValid, validation.Exception?.Message);
        }
    }

    [Fact]
    public async Task A_refresh_token_from_one_replica_redeems_on_the_other_and_its_replay_is_caught_on_either()
    {
        var (first, second) = await BrowserOnBothReplicasAsync();
        using (first)
        using (second)
        {
            var issued = await SignInAcrossReplicasAsync(first, second);

            var onSecond = Flows.ImplicitConsentClient(fixture, second);
            var refreshed = await onSecond.RefreshAsync(issued.RefreshToken!, Ct);
            Assert.True(refreshed.RefreshToken is not null, $"Refresh on the second replica failed: {refreshed}");

            // Replaying the spent token on the first replica is detected, and revokes the family:
            // the token the second replica just issued stops working too.
            var onFirst = Flows.ImplicitConsentClient(fixture, first);
            var replay = await onFirst.RefreshAsync(issued.RefreshToken!, Ct);
            Assert.Equal("invalid_grant", replay.Error);
            var afterReplay = await onSecond.RefreshAsync(refreshed.RefreshToken!, Ct);
            Assert.Equal("invalid_grant", afterReplay.Error);
        }
    }
}
