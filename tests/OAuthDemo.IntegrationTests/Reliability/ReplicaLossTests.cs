using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OAuthDemo.IntegrationTests.Infrastructure;
using OAuthDemo.IntegrationTests.Worker;

namespace OAuthDemo.IntegrationTests.Reliability;

/// <summary>
/// One of the two auth-server replicas stops while machine clients ask for tokens, a user's
/// client refreshes and the API validates: the other replica carries on with everything, since
/// all they share is in authdb.
/// </summary>
[Collection(nameof(DisruptiveTests))]
[Trait("Category", "Reliability")]
public class ReplicaLossTests(AppHostFixture fixture, ITestOutputHelper output)
{
    /// <summary>Requests already on their way to the stopping replica may fail; none after this.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Losing_one_auth_server_replica_under_token_load_fails_nothing_after_the_first_second()
    {
        var replicas = await fixture.App.WaitForReplicasAsync("authserver", 2, Ct);
        var userToken = await Tokens.ForAliceAsync(fixture, "notes.read", Ct);
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var (signIn, _) = await Flows.SignInAsync(fixture, server, client, "openid offline_access notes.read", Ct);
        var refreshToken = signIn.RefreshToken!;

        var load = new LoadRecorder();
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var pause = TimeSpan.FromMilliseconds(50);
        var tasks = new List<Task>();
        for (var i = 0; i < 2; i++)
        {
            tasks.Add(load.RunAsync("client credentials token", async () =>
            {
                // A new connection each time, as many machine clients would make: Aspire's proxy
                // spreads connections over the replicas.
                using var machine = fixture.CreateAuthServerClient();
                return LoadRecorder.TokensIssued(await machine.RequestMachineTokenAsync(fixture, Ct));
            }, pause, stopLoad.Token));
        }
        tasks.Add(load.RunAsync("refresh", async () =>
        {
            // Rotating: an unanswered refresh is retried with the same token, which must still work.
            var response = await client.RefreshAsync(refreshToken, Ct);
            if (response.RefreshToken is { } next)
                refreshToken = next;
            return LoadRecorder.TokensIssued(response);
        }, TimeSpan.FromMilliseconds(200), stopLoad.Token));
        using var api = fixture.CreateApiClient();
        tasks.Add(load.RunAsync("API read", async () =>
        {
            var response = await api.GetAsync("/api/notes", userToken, Ct);
            return (response.Status == HttpStatusCode.OK, $"{(int)response.Status}");
        }, pause, stopLoad.Token));

        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        // The replica about to stop was serving its share.
        var servedByLost = await TokensIssuedByAsync(replicas[0].Id);
        Assert.True(servedByLost > 0, $"{replicas[0].Id} issued no tokens before it stopped: the test would prove nothing");
        var stopping = DateTimeOffset.UtcNow;
        await fixture.RunCommandOnInstanceAsync(replicas[0].Id, KnownResourceCommands.StopCommand);
        var stopped = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(8), Ct);
        await stopLoad.CancelAsync();
        await Task.WhenAll(tasks);
        var worker = await WorkerHealth.ReadAsync(fixture, Ct);

        // Back to two replicas for the tests after this one.
        await fixture.RunCommandOnInstanceAsync(replicas[0].Id, KnownResourceCommands.StartCommand);
        await fixture.App.WaitForReplicasAsync("authserver", 2, Ct);

        var outcomes = load.Outcomes;
        output.WriteLine($"{replicas[0].Id} had issued {servedByLost} machine tokens, and stopped in {(stopped - stopping).TotalSeconds:F1} s");
        output.WriteLine("the whole run:\n" + load.Summary() + "after the replica was gone:\n" + load.Summary(stopped));
        foreach (var failure in outcomes.Where(o => !o.Succeeded))
            output.WriteLine($"failed {failure.Operation} {(failure.At - stopping).TotalSeconds:F2} s after the stop began: {failure.Detail}");

        var late = outcomes.Where(o => !o.Succeeded && o.At > stopped + Grace).ToList();
        Assert.True(late.Count == 0, $"{late.Count} requests failed after the replica was gone: {string.Join("; ", late.Take(5))}");
        foreach (var operation in outcomes.Select(o => o.Operation).Distinct())
            Assert.Contains(outcomes, o => o.Operation == operation && o.Succeeded && o.At > stopped + Grace);
        Assert.Equal("Healthy", worker.Status);
    }

    /// <summary>The machine-client tokens one replica has logged issuing (its own log, not the resource's).</summary>
    private async Task<int> TokensIssuedByAsync(string instanceId)
    {
        var logs = fixture.App.Services.GetRequiredService<ResourceLoggerService>();
        using var read = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        read.CancelAfter(TimeSpan.FromSeconds(2)); // the backlog comes at once; then it waits for more
        var count = 0;
        try
        {
            await foreach (var batch in logs.WatchAsync(instanceId).WithCancellation(read.Token))
                count += batch.Count(line => line.Content.Contains($"for client {AppHostFixture.MachineClientId},", StringComparison.Ordinal));
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
        }
        return count;
    }
}
