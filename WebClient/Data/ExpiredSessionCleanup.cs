using Microsoft.EntityFrameworkCore;

namespace OAuthDemo.WebClient.Data;

/// <summary>
/// Deletes sessions past their expiry and flow records older than a working day. Any replica may
/// run it; the deletes are idempotent.
/// </summary>
public sealed partial class ExpiredSessionCleanup(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ExpiredSessionCleanup> logger)
    : BackgroundService
{
    public static readonly TimeSpan FlowRetention = TimeSpan.FromHours(8);

    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<WebDbContext>();
                var now = clock.GetUtcNow();
                var sessions = await db.Sessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(stoppingToken);
                var steps = await db.FlowSteps.Where(s => s.At < now - FlowRetention).ExecuteDeleteAsync(stoppingToken);
                if (sessions + steps > 0)
                    LogDeleted(logger, sessions, steps);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e); // the next round tries again
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Deleted {Sessions} expired sessions and {Steps} old flow steps")]
    private static partial void LogDeleted(ILogger logger, int sessions, int steps);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Cleaning up expired sessions failed; trying again later")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
