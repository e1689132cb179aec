using System.Net.Http.Json;
using System.Text.Json;

namespace OAuthDemo.IntegrationTests.Worker;

/// <summary>The worker's stats-poller health check, read from its /health endpoint.</summary>
public sealed record WorkerHealth(string Status, long Calls, long Successes, int ConsecutiveFailures, string LastOutcome, DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt)
{
    /// <summary>How long the worker waits after its last call: the interval, or longer while calls fail.</summary>
    public TimeSpan? Wait => NextAttemptAt - LastAttemptAt;

    public static async Task<WorkerHealth> ReadAsync(AppHostFixture fixture, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = fixture.EndpointOf("worker"), Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync("/health", ct); // 503 when unhealthy still has the report
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        var check = report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "stats-poller");
        var data = check.GetProperty("data");
        return new WorkerHealth(
            check.GetProperty("status").GetString()!,
            data.GetProperty("calls").GetInt64(),
            data.GetProperty("successes").GetInt64(),
            data.GetProperty("consecutiveFailures").GetInt32(),
            data.GetProperty("lastOutcome").GetString()!,
            Time(data, "lastAttemptAt"),
            Time(data, "nextAttemptAt"));
    }

    private static DateTimeOffset? Time(JsonElement data, string name) =>
        DateTimeOffset.TryParse(data.GetProperty(name).GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var at) ? at : null;

    /// <summary>Polls until the condition holds; the last reading either way.</summary>
    public static async Task<WorkerHealth> WaitUntilAsync(AppHostFixture fixture, Func<WorkerHealth, bool> condition, TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var health = await ReadAsync(fixture, ct);
            if (condition(health) || DateTime.UtcNow > deadline)
                return health;
            await Task.Delay(500, ct);
        }
    }
}
