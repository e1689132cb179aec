using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OAuthDemo.WebClient.FlowInspector;

namespace OAuthDemo.WebClient.Data;

/// <summary>
/// Deletes sessions past their expiry, flow records older than a working day, and sign-ins that
/// never completed after WebClient:PendingFlowLifetime. Any replica may run it; the deletes are
/// idempotent.
/// </summary>
public sealed partial class ExpiredSessionCleanup(
    IServiceScopeFactory scopes, IOptions<WebClientSettings> settings, TimeProvider clock, ILogger<ExpiredSessionCleanup> logger) : BackgroundService
{
    public static readonly TimeSpan FlowRetention = TimeSpan.FromHours(8);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pendingLifetime = settings.Value.PendingFlowLifetime;
        // A tenth of the pending lifetime, at most a minute: abandoned sign-ins live no more than ~1.1× it.
        var interval = TimeSpan.FromTicks(Math.Clamp(pendingLifetime.Ticks / 10, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromMinutes(1).Ticks));
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<WebDbContext>();
                var now = clock.GetUtcNow();
                var sessions = await db.Sessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(stoppingToken);
                var steps = await db.FlowSteps.Where(s => s.At < now - FlowRetention).ExecuteDeleteAsync(stoppingToken);
                steps += await db.FlowSteps
                    .Where(s => s.At < now - pendingLifetime && !db.FlowSteps.Any(c => c.FlowId == s.FlowId && c.Key == FlowSteps.TokenResponse))
                    .ExecuteDeleteAsync(stoppingToken);
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
