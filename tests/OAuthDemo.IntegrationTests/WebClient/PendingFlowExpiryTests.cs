using System.Net;
using OAuthDemo.IntegrationTests.AuthServer;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.WebClient;

/// <summary>
/// Anyone can start a sign-in without an account; the flow inspector's records of sign-ins that
/// never complete expire (WebClient:PendingFlowLifetime, seconds on this system) instead of piling up.
/// </summary>
[Collection(nameof(RotatingKeysTests))]
public class PendingFlowExpiryTests(RotatingKeysFixture fixture)
{
    [Fact]
    public async Task An_abandoned_sign_in_is_forgotten_and_a_completed_one_kept()
    {
        var webdb = await fixture.ConnectionStringOfAsync("webdb");
        var before = Convert.ToInt64(await Sql.ScalarAsync(webdb, """SELECT coalesce(max("Id"), 0) FROM "FlowSteps" """));

        // An anonymous visitor starts a sign-in and goes away...
        using (var visitor = WebClientBrowser.Open(fixture))
        using (var abandoned = await visitor.GetAsync("/account/login", Ct))
            Assert.Equal(HttpStatusCode.Redirect, abandoned.StatusCode);
        // ...and alice signs in all the way.
        using (var alice = WebClientBrowser.Open(fixture))
            await alice.SignInAsync(fixture, "alice", fixture.Secrets.AlicePassword);
        var recorded = await StepsPerFlowAsync(webdb, before);

        await Task.Delay(RotatingKeysFixture.PendingFlowLifetime * 1.5 + TimeSpan.FromSeconds(3), Ct);
        var kept = await StepsPerFlowAsync(webdb, before);

        Assert.Equal(2, recorded.Count);
        var (abandonedFlow, completedFlow) = (recorded[0], recorded[1]);
        Assert.True(abandonedFlow.Steps > 0);
        Assert.Equal([completedFlow], kept);
    }

    private static Task<List<(string FlowId, long Steps)>> StepsPerFlowAsync(string webdb, long after) =>
        Sql.QueryAsync(webdb, """SELECT "FlowId", count(*) FROM "FlowSteps" WHERE "Id" > @after GROUP BY "FlowId" ORDER BY min("Id")""",
            r => (r.GetString(0), r.GetInt64(1)), ("after", after));
}
