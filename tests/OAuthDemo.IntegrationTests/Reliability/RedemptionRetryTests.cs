using System.Net;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Reliability;

/// <summary>
/// When the database fails in the middle of a code or refresh-token redemption, the client gets
/// 503, and retrying with the same code or refresh token works: the redemption was not kept without
/// the tokens that replace it (else the retry would count as a replay and end the sign-in).
/// </summary>
[Trait("Category", "Reliability")]
public class RedemptionRetryTests(AppHostFixture fixture)
{
    [Fact]
    public async Task A_redemption_that_fails_midway_can_be_retried()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = new CodeFlowClient(server, AppHostFixture.FailingWritesClientId, AppHostFixture.ImplicitClientRedirectUri, fixture.Secrets.ImplicitClientSecret);
        var outcome = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(client.AuthorizeUrl("openid offline_access"), Ct);
        Assert.NotNull(outcome.Code);

        TokenResponse failedExchange, failedRefresh;
        await using (await FailingTokenWritesAsync())
            failedExchange = await client.ExchangeAsync(outcome.Code!, Ct);
        var exchange = await client.ExchangeAsync(outcome.Code!, Ct);
        await using (await FailingTokenWritesAsync())
            failedRefresh = await client.RefreshAsync(exchange.RefreshToken!, Ct);
        var refresh = await client.RefreshAsync(exchange.RefreshToken!, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failedExchange.Status);
        Assert.Equal("temporarily_unavailable", failedExchange.Error);
        Assert.True(exchange.RefreshToken is not null, $"The code did not work on retry: {exchange}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failedRefresh.Status);
        Assert.True(refresh.AccessToken is not null, $"The refresh token did not work on retry: {refresh}");
    }

    /// <summary>
    /// Until disposed, authdb refuses new tokens of this test's client as a connection failure
    /// would (SQLSTATE 08006), after the code or refresh token was already marked redeemed.
    /// </summary>
    private async Task<IAsyncDisposable> FailingTokenWritesAsync() =>
        await Sql.FailingWritesAsync(await fixture.ConnectionStringOfAsync("authdb"), "OpenIddictTokens", "INSERT",
            $"""NEW."ApplicationId" = (SELECT "Id" FROM "OpenIddictApplications" WHERE "ClientId" = '{AppHostFixture.FailingWritesClientId}')""");
}
