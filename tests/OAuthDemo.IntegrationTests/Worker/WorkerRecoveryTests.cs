using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Worker;

[Collection(nameof(DisruptiveTests))]
[Trait("Category", "Reliability")]
public class WorkerRecoveryTests(AppHostFixture fixture)
{
    [Fact]
    public async Task The_worker_survives_an_auth_server_outage_and_recovers_by_itself()
    {
        var limit = TimeSpan.FromSeconds(120);
        await fixture.RunCommandAsync("authserver", KnownResourceCommands.StopCommand);
        try
        {
            // Once its cached token needs renewing, the worker cannot get one and says so.
            var failing = await WorkerHealth.WaitUntilAsync(fixture, h => h.ConsecutiveFailures > 0, limit, Ct);
            Assert.True(failing.ConsecutiveFailures > 0, $"The worker never noticed the outage: {failing}");
        }
        finally
        {
            await fixture.RunCommandAsync("authserver", KnownResourceCommands.StartCommand);
        }

        await fixture.WaitUntilHealthyAsync("authserver", limit);
        var before = await WorkerHealth.ReadAsync(fixture, Ct);

        var recovered = await WorkerHealth.WaitUntilAsync(fixture, h => h.ConsecutiveFailures == 0 && h.Successes > before.Successes, limit, Ct);

        Assert.Equal(0, recovered.ConsecutiveFailures);
        Assert.True(recovered.Successes > before.Successes, $"No successful call after the restart: {recovered}");
        Assert.Equal("Healthy", recovered.Status);
    }
}
