namespace OAuthDemo.IntegrationTests.Worker;

public class WorkerTokenCacheTests(AppHostFixture fixture)
{
    // Counted where they are issued, by the auth server, not by the worker's own account.
    private int TokensIssuedToWorker() =>
        fixture.AuthServerLog.Count(l => l.Contains("Token issued: access_token for client worker,"));

    [Fact]
    public async Task The_worker_calls_the_api_often_but_fetches_one_token_per_lifetime()
    {
        // The fixture makes the worker poll every second with tokens that live 20 s (renewed at 16 s).
        var start = await WorkerHealth.ReadAsync(fixture, Ct);
        var tokensAtStart = TokensIssuedToWorker();
        var window = TimeSpan.FromSeconds(10);

        await Task.Delay(window, Ct);

        var end = await WorkerHealth.ReadAsync(fixture, Ct);
        var calls = end.Successes - start.Successes;
        var tokens = TokensIssuedToWorker() - tokensAtStart;
        Assert.True(calls >= 4, $"Only {calls} successful calls in {window.TotalSeconds} s: {end}");
        // A 10 s window can hold at most one renewal (every 16 s).
        Assert.True(tokens <= 1, $"{tokens} tokens issued to the worker for {calls} calls in {window.TotalSeconds} s");
        Assert.True(TokensIssuedToWorker() >= 1, "The auth server never issued the worker a token.");
        Assert.Equal("Healthy", end.Status);
    }
}
