using System.Diagnostics;
using System.Net;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Reliability;

/// <summary>
/// A minute of mixed load, as the running system sees it on a busy day: machine clients ask for
/// tokens, users' clients refresh, two users read and write notes, a user signs in through the
/// pages about once a second. Nothing fails; the services' memory and PostgreSQL connections stay
/// bounded. The durations are written to the test output as figures, not asserted (the benchmarks
/// under bench/ measure speed).
/// </summary>
[Collection(nameof(DisruptiveTests))]
[Trait("Category", "Reliability")]
public class SustainedLoadTests(AppHostFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);

    /// <summary>After the load, no service holds more than this many times its memory after the warm-up.</summary>
    private const double MemoryGrowthLimit = 2.0;

    private static readonly (string Resource, int Instances)[] Services = [("authserver", 2), ("resourceapi", 1), ("webclient", 2), ("worker", 1)];

    [Fact]
    public async Task A_minute_of_mixed_load_fails_nothing_and_leaks_nothing()
    {
        var load = new LoadRecorder();
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var tasks = new List<Task>();

        for (var i = 0; i < 2; i++)
            tasks.Add(MachineTokensAsync(load, stopLoad.Token));
        for (var i = 0; i < 2; i++)
            tasks.Add(RefreshesAsync(load, stopLoad.Token));
        foreach (var token in new[] { await Tokens.ForAliceAsync(fixture, "notes.read notes.write", Ct), await Tokens.ForBobAsync(fixture, "notes.read notes.write", Ct) })
            tasks.Add(NotesAsync(load, token, stopLoad.Token));
        tasks.Add(load.RunAsync("sign-in through the pages", SignInAsync, TimeSpan.FromMilliseconds(500), stopLoad.Token));

        // Unpooled: connections pooled in this process before an earlier test's PostgreSQL restart are dead.
        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(await fixture.ConnectionStringOfAsync("postgres")) { Pooling = false }.ConnectionString;
        var maxConnections = int.Parse((string)(await Sql.ScalarAsync(postgres, "SHOW max_connections"))!, System.Globalization.CultureInfo.InvariantCulture);
        var connections = new List<long>();
        tasks.Add(SampleConnectionsAsync(postgres, connections, stopLoad.Token));

        await Task.Delay(WarmUp, Ct);
        var warm = await MemoryAsync();
        var measuredFrom = DateTimeOffset.UtcNow;
        await Task.Delay(Duration, Ct);
        var after = await MemoryAsync();
        await stopLoad.CancelAsync();
        await Task.WhenAll(tasks);

        var outcomes = load.Outcomes;
        output.WriteLine($"{Duration.TotalSeconds:F0} s of load after a {WarmUp.TotalSeconds:F0}-second warm-up:");
        output.WriteLine(load.Summary(measuredFrom));
        foreach (var (instance, bytes) in after)
            output.WriteLine($"{instance}: {warm[instance] / 1048576.0:F0} MB after the warm-up, {bytes / 1048576.0:F0} MB after the load ({(double)bytes / warm[instance]:F2}x)");
        output.WriteLine($"PostgreSQL connections: at most {connections.Max()} during the load, {connections[^1]} at the end (max_connections {maxConnections})");
        foreach (var failure in outcomes.Where(o => !o.Succeeded).Take(20))
            output.WriteLine($"failed: {failure}");

        Assert.DoesNotContain(outcomes, o => !o.Succeeded);
        Assert.All(outcomes.Select(o => o.Operation).Distinct(), operation =>
            Assert.True(outcomes.Count(o => o.Operation == operation && o.At >= measuredFrom) >= 30, $"{operation} hardly ran"));
        Assert.All(after, instance => Assert.True(instance.Value < MemoryGrowthLimit * warm[instance.Key],
            $"{instance.Key} grew from {warm[instance.Key] / 1048576} MB to {instance.Value / 1048576} MB"));
        // Pools that never give connections back would end at PostgreSQL's limit (and refuse requests).
        Assert.True(connections.Max() < maxConnections * 0.8, $"{connections.Max()} of {maxConnections} PostgreSQL connections in use");
    }

    private async Task MachineTokensAsync(LoadRecorder load, CancellationToken stop)
    {
        using var server = fixture.CreateAuthServerClient();
        await load.RunAsync("client credentials token",
            async () => LoadRecorder.TokensIssued(await server.RequestMachineTokenAsync(fixture, Ct)), TimeSpan.FromMilliseconds(20), stop);
    }

    private async Task RefreshesAsync(LoadRecorder load, CancellationToken stop)
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var refreshToken = (await Flows.SignInAsync(fixture, server, client, "openid offline_access notes.read", Ct)).Tokens.RefreshToken!;
        await load.RunAsync("refresh", async () =>
        {
            var response = await client.RefreshAsync(refreshToken, Ct);
            refreshToken = response.RefreshToken ?? refreshToken;
            return LoadRecorder.TokensIssued(response);
        }, TimeSpan.FromMilliseconds(200), stop);
    }

    /// <summary>A user who reads the list and adds a note, in turn.</summary>
    private async Task NotesAsync(LoadRecorder load, string token, CancellationToken stop)
    {
        using var api = fixture.CreateApiClient();
        var write = false;
        await load.RunAsync("API read or write", async () =>
        {
            write = !write;
            var response = write
                ? await api.SendAsync(HttpMethod.Post, "/api/notes", token, new { text = $"load-{Guid.NewGuid():N}" }, Ct)
                : await api.GetAsync("/api/notes", token, Ct);
            return (response.Status == (write ? HttpStatusCode.Created : HttpStatusCode.OK), $"{(int)response.Status}");
        }, TimeSpan.FromMilliseconds(50), stop);
    }

    /// <summary>A new browser each time: the login page, the password, the code, the tokens.</summary>
    private async Task<(bool, string)> SignInAsync()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var outcome = await server.As(AppHostFixture.ReplicaUser, fixture.Secrets.TestUserPassword).RunAsync(client.AuthorizeUrl("openid notes.read"), Ct);
        if (outcome.Code is null)
            return (false, $"no code: {outcome.Status}");
        return LoadRecorder.TokensIssued(await client.ExchangeAsync(outcome.Code, Ct));
    }

    private async Task<Dictionary<string, long>> MemoryAsync()
    {
        var memory = new Dictionary<string, long>();
        foreach (var (resource, instances) in Services)
            foreach (var (instance, bytes) in await fixture.ResidentBytesAsync(resource, instances))
                memory[instance] = bytes;
        return memory;
    }

    private static async Task SampleConnectionsAsync(string postgres, List<long> samples, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var count = (long)(await Sql.ScalarAsync(postgres, "SELECT count(*) FROM pg_stat_activity WHERE datname IN ('authdb', 'apidb', 'webdb')"))!;
            lock (samples)
                samples.Add(count);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
