using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace OAuthDemo.IntegrationTests.Worker;

[Collection(nameof(DisruptiveTests))]
[Trait("Category", "Reliability")]
public class WorkerRecoveryTests(AppHostFixture fixture)
{
    private async Task RunCommandAsync(string resource, string command)
    {
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        var result = await fixture.App.ResourceCommands.ExecuteCommandAsync(model.Resources.Single(r => r.Name == resource), command, Ct);
        Assert.True(result.Success, $"{command} {resource}: {result.Message}");
    }

    [Fact]
    public async Task The_worker_survives_an_auth_server_outage_and_recovers_by_itself()
    {
        var limit = TimeSpan.FromSeconds(120);
        await RunCommandAsync("authserver", KnownResourceCommands.StopCommand);
        try
        {
            // Once its cached token needs renewing, the worker cannot get one and says so.
            var failing = await WorkerHealth.WaitUntilAsync(fixture, h => h.ConsecutiveFailures > 0, limit, Ct);
            Assert.True(failing.ConsecutiveFailures > 0, $"The worker never noticed the outage: {failing}");
        }
        finally
        {
            await RunCommandAsync("authserver", KnownResourceCommands.StartCommand);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(limit);
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("authserver", timeout.Token);
        var before = await WorkerHealth.ReadAsync(fixture, Ct);

        var recovered = await WorkerHealth.WaitUntilAsync(fixture, h => h.ConsecutiveFailures == 0 && h.Successes > before.Successes, limit, Ct);

        Assert.Equal(0, recovered.ConsecutiveFailures);
        Assert.True(recovered.Successes > before.Successes, $"No successful call after the restart: {recovered}");
        Assert.Equal("Healthy", recovered.Status);
    }
}
