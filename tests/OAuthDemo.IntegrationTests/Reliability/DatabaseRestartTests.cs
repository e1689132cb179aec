using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Npgsql;
using OAuthDemo.IntegrationTests.Infrastructure;
using OAuthDemo.IntegrationTests.Worker;

namespace OAuthDemo.IntegrationTests.Reliability;

/// <summary>
/// PostgreSQL restarts while users write notes and machine clients ask for tokens: during the
/// outage the services answer 503 with a problem document (never a 500) and report unhealthy;
/// afterwards they recover by themselves, every note that got a 201 is stored, and none that got
/// an error is.
/// </summary>
[Collection(nameof(DisruptiveTests))]
[Trait("Category", "Reliability")]
public class DatabaseRestartTests(AppHostFixture fixture, ITestOutputHelper output)
{
    private sealed record Outcome(string Operation, DateTimeOffset At, HttpStatusCode Status, string? Error, string? NoteText = null);

    [Fact]
    public async Task A_postgres_restart_under_load_loses_nothing_and_the_services_recover_by_themselves()
    {
        string[] writers = [await Tokens.ForAliceAsync(fixture, "notes.read notes.write", Ct), await Tokens.ForBobAsync(fixture, "notes.read notes.write", Ct)];
        var outcomes = new ConcurrentQueue<Outcome>();
        var unhealthySeen = new ConcurrentDictionary<string, bool>();
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var load = new List<Task>();
        foreach (var token in writers)
            load.Add(WriteNotesAsync(token, outcomes, stopLoad.Token));
        load.Add(RequestTokensAsync(outcomes, stopLoad.Token));
        using var browser = WebClientBrowser.Open(fixture);
        await browser.SignInAsync(fixture, AppHostFixture.WebReplicaUser, fixture.Secrets.TestUserPassword);
        load.Add(BrowseAsync(browser, outcomes, stopLoad.Token));
        foreach (var service in new[] { "authserver", "resourceapi", "webclient" })
            load.Add(WatchHealthAsync(service, unhealthySeen, stopLoad.Token));

        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        var restart = Stopwatch.StartNew();
        await fixture.RunCommandAsync("postgres", KnownResourceCommands.RestartCommand);
        await fixture.WaitUntilHealthyAsync("postgres", TimeSpan.FromSeconds(90));
        var databaseBack = DateTimeOffset.UtcNow;
        output.WriteLine($"postgres restarted and healthy after {restart.Elapsed.TotalSeconds:F1} s");

        // The load goes on until every operation has worked again for a while.
        await Task.Delay(TimeSpan.FromSeconds(10), Ct);
        await stopLoad.CancelAsync();
        await Task.WhenAll(load);

        var all = outcomes.ToList();
        foreach (var group in all.GroupBy(o => o.Operation))
        {
            var firstAfter = group.Where(o => o.At > databaseBack && IsSuccess(o.Status)).Select(o => (DateTimeOffset?)o.At).Min();
            output.WriteLine($"{group.Key}: {group.Count()} requests, {group.Count(o => IsSuccess(o.Status))} succeeded, " +
                             $"{group.Count(o => o.Status == HttpStatusCode.ServiceUnavailable)} answered 503; " +
                             $"first success {(firstAfter - databaseBack)?.TotalSeconds:F1} s after the database was back");
        }

        // Shown only if the test fails: what the services said about it.
        foreach (var service in new[] { "webclient", "authserver", "resourceapi" })
            foreach (var warning in fixture.WarningsOf(service))
                output.WriteLine(warning);

        // Never a 500, and every refusal is the documented one.
        Assert.DoesNotContain(all, o => (int)o.Status >= 500 && o.Status != HttpStatusCode.ServiceUnavailable);
        Assert.All(all.Where(o => o.Status == HttpStatusCode.ServiceUnavailable), o => Assert.Equal("temporarily_unavailable", o.Error));
        Assert.DoesNotContain(all, o => !IsSuccess(o.Status) && o.Status != HttpStatusCode.ServiceUnavailable);
        // The outage was real, and the services said so.
        Assert.Contains(all, o => o.Status == HttpStatusCode.ServiceUnavailable);
        Assert.Contains("resourceapi", unhealthySeen.Keys);
        // Recovered by themselves: the last five seconds were all successes, for every operation.
        var tail = all.Where(o => o.At > DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5)).ToList();
        Assert.All(all.Select(o => o.Operation).Distinct(), operation => Assert.Contains(tail, o => o.Operation == operation));
        Assert.All(tail, o => Assert.True(IsSuccess(o.Status), $"{o.Operation} still failed {o.Status} at {o.At:HH:mm:ss.fff}"));

        // Nothing lost, nothing invented: the notes in apidb are exactly those that got a 201.
        NpgsqlConnection.ClearAllPools(); // this process's own connections from before the restart are dead
        var apidb = await fixture.ConnectionStringOfAsync("apidb");
        var stored = (await Sql.QueryAsync(apidb, """SELECT "Text" FROM "Notes" WHERE "Text" LIKE 'restart-%'""", r => r.GetString(0))).ToHashSet();
        var created = all.Where(o => o.Status == HttpStatusCode.Created).Select(o => o.NoteText!).ToHashSet();
        var refused = all.Where(o => o is { Operation: "write note", Status: HttpStatusCode.ServiceUnavailable }).Select(o => o.NoteText!).ToHashSet();
        Assert.Subset(stored, created);
        Assert.Empty(refused.Intersect(stored));

        // The worker, polling through all of it, is healthy again.
        var worker = await WorkerHealth.WaitUntilAsync(fixture, h => h is { Status: "Healthy", ConsecutiveFailures: 0 }, TimeSpan.FromSeconds(30), Ct);
        Assert.Equal("Healthy", worker.Status);
    }

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private async Task WriteNotesAsync(string token, ConcurrentQueue<Outcome> outcomes, CancellationToken stop)
    {
        using var api = fixture.CreateApiClient();
        while (!stop.IsCancellationRequested)
        {
            var text = $"restart-{Guid.NewGuid():N}";
            var response = await api.SendAsync(HttpMethod.Post, "/api/notes", token, new { text }, Ct);
            outcomes.Enqueue(new("write note", DateTimeOffset.UtcNow, response.Status, ErrorOf(response.Body), text));
            await PauseAsync(stop);
        }
    }

    /// <summary>A signed-in user reloading the home page: the session is read from webdb each time.</summary>
    private static async Task BrowseAsync(HttpClient browser, ConcurrentQueue<Outcome> outcomes, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var page = await browser.GetAsync("/", Ct);
            var html = await page.Content.ReadAsStringAsync(Ct);
            // The error page says the site is temporarily unavailable: the same answer, for people.
            var error = page.StatusCode == HttpStatusCode.ServiceUnavailable && html.Contains("data-testid=\"unavailable\"", StringComparison.Ordinal) ? "temporarily_unavailable" : null;
            if (page.StatusCode == HttpStatusCode.OK && !html.Contains("Signed in as", StringComparison.Ordinal))
                error = "signed out";
            outcomes.Enqueue(new("web page", DateTimeOffset.UtcNow, page.StatusCode == HttpStatusCode.OK && error is not null ? HttpStatusCode.Unauthorized : page.StatusCode, error));
            await PauseAsync(stop);
        }
    }

    private async Task RequestTokensAsync(ConcurrentQueue<Outcome> outcomes, CancellationToken stop)
    {
        using var server = fixture.CreateAuthServerClient();
        while (!stop.IsCancellationRequested)
        {
            var response = await server.RequestMachineTokenAsync(fixture, Ct);
            outcomes.Enqueue(new("client credentials token", DateTimeOffset.UtcNow, response.Status, response.Error));
            await PauseAsync(stop);
        }
    }

    private async Task WatchHealthAsync(string service, ConcurrentDictionary<string, bool> unhealthySeen, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = fixture.EndpointOf(service), Timeout = TimeSpan.FromSeconds(10) };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var health = await http.GetAsync("/health", Ct);
                if (health.StatusCode != HttpStatusCode.OK)
                    unhealthySeen[service] = true;
            }
            catch (HttpRequestException)
            {
                unhealthySeen[service] = true;
            }
            await PauseAsync(stop);
        }
    }

    private static async Task PauseAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string? ErrorOf(System.Text.Json.JsonElement body) =>
        body.ValueKind == System.Text.Json.JsonValueKind.Object && body.TryGetProperty("error", out var error) ? error.GetString() : null;
}
