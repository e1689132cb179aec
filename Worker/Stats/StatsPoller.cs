using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace OAuthDemo.Worker.Stats;

/// <summary>
/// Calls <c>GET /api/stats</c> every <c>Worker:Interval</c> and records how it went; while calls
/// fail, it waits longer each time (<see cref="NextWait"/>).
/// </summary>
public sealed partial class StatsPoller(StatsClient api, PollerStatus status, IOptions<WorkerSettings> options, TimeProvider clock, ILogger<StatsPoller> logger)
    : BackgroundService
{
    /// <summary>One trace per poll: the token request (when the cached token is used up) and the stats call under one span.</summary>
    public static readonly ActivitySource Telemetry = new("OAuthDemo.Worker");
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            await PollOnceAsync(stoppingToken);
            var wait = NextWait(status.ConsecutiveFailures, settings.Interval, settings.MaxBackoff);
            status.RecordNextAttempt(clock.GetUtcNow() + wait);
            try
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The interval while calls succeed; after <paramref name="consecutiveFailures"/> failures, the
    /// interval doubled that many times, at most <paramref name="maxBackoff"/>. Each call already
    /// retries a few times within the standard resilience pipeline; this spaces the calls themselves.
    /// </summary>
    public static TimeSpan NextWait(int consecutiveFailures, TimeSpan interval, TimeSpan maxBackoff)
    {
        var ceiling = maxBackoff > interval ? maxBackoff : interval;
        var wait = interval;
        for (var i = 0; i < consecutiveFailures && wait < ceiling; i++)
            wait *= 2;
        return wait < ceiling ? wait : ceiling;
    }

    private async Task PollOnceAsync(CancellationToken ct)
    {
        // A background loop has no incoming request to hang its calls on: without this span each
        // HTTP call would start a trace of its own, and the log lines would belong to none.
        using var poll = Telemetry.StartActivity("Poll stats");
        try
        {
            var stats = await api.GetStatsAsync(ct);
            status.RecordSuccess(clock.GetUtcNow(), stats);
            LogStats(logger, stats.Users, stats.Notes);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Transient failures were already retried by the resilience pipeline; the next call waits longer.
            poll?.SetStatus(ActivityStatusCode.Error, ex.Message);
            status.RecordFailure(clock.GetUtcNow(), ex.Message);
            LogFailed(logger, status.ConsecutiveFailures, ex.Message);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Stats: {Users} users, {Notes} notes")]
    private static partial void LogStats(ILogger logger, int users, int notes);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "GET /api/stats failed ({ConsecutiveFailures} in a row): {Reason}")]
    private static partial void LogFailed(ILogger logger, int consecutiveFailures, string reason);
}
