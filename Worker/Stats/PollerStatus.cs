using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace OAuthDemo.Worker.Stats;

/// <summary>What the last calls to the API did; read by the health check.</summary>
public sealed class PollerStatus
{
    private readonly Lock _lock = new();

    public DateTimeOffset? LastAttemptAt { get; private set; }
    public DateTimeOffset? LastSuccessAt { get; private set; }
    public DateTimeOffset? NextAttemptAt { get; private set; }
    public string LastOutcome { get; private set; } = "not called yet";
    public int ConsecutiveFailures { get; private set; }
    public long Calls { get; private set; }
    public long Successes { get; private set; }

    public void RecordSuccess(DateTimeOffset at, ApiStats stats)
    {
        lock (_lock)
        {
            (LastAttemptAt, LastSuccessAt, ConsecutiveFailures) = (at, at, 0);
            LastOutcome = $"ok: {stats.Users} users, {stats.Notes} notes";
            Calls++;
            Successes++;
        }
    }

    public void RecordFailure(DateTimeOffset at, string reason)
    {
        lock (_lock)
        {
            LastAttemptAt = at;
            LastOutcome = $"failed: {reason}";
            ConsecutiveFailures++;
            Calls++;
        }
    }

    public void RecordNextAttempt(DateTimeOffset at)
    {
        lock (_lock)
            NextAttemptAt = at;
    }

    public IReadOnlyDictionary<string, object> Snapshot()
    {
        lock (_lock)
        {
            return new Dictionary<string, object>
            {
                ["lastAttemptAt"] = LastAttemptAt?.ToString("O") ?? "",
                ["lastSuccessAt"] = LastSuccessAt?.ToString("O") ?? "",
                ["nextAttemptAt"] = NextAttemptAt?.ToString("O") ?? "",
                ["lastOutcome"] = LastOutcome,
                ["consecutiveFailures"] = ConsecutiveFailures,
                ["calls"] = Calls,
                ["successes"] = Successes,
            };
        }
    }
}

/// <summary>Healthy while calls succeed, degraded after a failure, unhealthy after several in a row.</summary>
public sealed class StatsPollerHealthCheck(PollerStatus status, IOptions<WorkerSettings> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = status.Snapshot();
        var failures = status.ConsecutiveFailures;
        var result = failures == 0 ? HealthCheckResult.Healthy(status.LastOutcome, data)
            : failures < options.Value.UnhealthyAfterFailures ? HealthCheckResult.Degraded(status.LastOutcome, data: data)
            : HealthCheckResult.Unhealthy($"{failures} failed calls in a row; last: {status.LastOutcome}", data: data);
        return Task.FromResult(result);
    }
}
