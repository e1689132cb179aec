using Microsoft.Extensions.DependencyInjection;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>Stops, starts and restarts the system's resources with Aspire's own resource commands, as the dashboard does.</summary>
public static class ResourceControl
{
    public static async Task RunCommandAsync(this AppHostFixture fixture, string resource, string command)
    {
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        var result = await fixture.App.ResourceCommands.ExecuteCommandAsync(model.Resources.Single(r => r.Name == resource), command, Ct);
        Assert.True(result.Success, $"{command} {resource}: {result.Message}");
    }

    /// <summary>Runs a command on one instance of a replicated resource (its id, e.g. <c>authserver-abcd1234</c>).</summary>
    public static async Task RunCommandOnInstanceAsync(this AppHostFixture fixture, string instanceId, string command)
    {
        var result = await fixture.App.ResourceCommands.ExecuteCommandAsync(instanceId, command, Ct);
        Assert.True(result.Success, $"{command} {instanceId}: {result.Message}");
    }

    public static async Task WaitUntilHealthyAsync(this AppHostFixture fixture, string resource, TimeSpan limit)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(limit);
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }
}
