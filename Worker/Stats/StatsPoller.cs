using Microsoft.Extensions.Options;

namespace OAuthDemo.Worker.Stats;

/// <summary>Calls <c>GET /api/stats</c> every <c>Worker:Interval</c> and records how it went.</summary>
public sealed partial class StatsPoller(StatsClient api, PollerStatus status, IOptions<WorkerSettings> options, TimeProvider clock, ILogger<StatsPoller> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            await PollOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PollOnceAsync(CancellationToken ct)
    {
        try
        {
            var stats = await api.GetStatsAsync(ct);
            status.RecordSuccess(clock.GetUtcNow(), stats);
            LogStats(logger, stats.Users, stats.Notes);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Transient failures were already retried by the resilience pipeline; try again next tick.
            status.RecordFailure(clock.GetUtcNow(), ex.Message);
            LogFailed(logger, status.ConsecutiveFailures, ex.Message);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Stats: {Users} users, {Notes} notes")]
    private static partial void LogStats(ILogger logger, int users, int notes);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "GET /api/stats failed ({ConsecutiveFailures} in a row): {Reason}")]
    private static partial void LogFailed(ILogger logger, int consecutiveFailures, string reason);
}
