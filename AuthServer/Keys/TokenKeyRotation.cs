using Microsoft.Extensions.Options;
using OAuthDemo.AuthServer.Configuration;
using OAuthDemo.AuthServer.Observability;

namespace OAuthDemo.AuthServer.Keys;

/// <summary>
/// Follows the keys in the database on every instance, without a restart: every
/// <see cref="KeySettings.ReloadInterval"/> it applies the rotation schedule (any replica may create
/// the next key; the store's lock makes it exactly one) and reloads the ring. It also reports when
/// this instance starts signing with another key.
/// </summary>
internal sealed partial class TokenKeyRotation(IServiceScopeFactory scopes, TokenKeyRing ring, IOptions<AuthServerSettings> settings, TokenMetrics metrics, TimeProvider clock, ILogger<TokenKeyRotation> logger)
    : BackgroundService
{
    private string? _signingKeyId;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.Keys.ReloadInterval, clock);
        _signingKeyId = ring.IsLoaded ? ring.ActiveSigning.Timeline.Id : null;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<TokenKeyStore>().FollowScheduleAsync(stoppingToken);
                ReportSigningKeyChange();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The keys already loaded keep working; the next tick tries again.
                LogFollowFailed(logger, ex.Message);
            }
        }
    }

    private void ReportSigningKeyChange()
    {
        var active = ring.ActiveSigning.Timeline.Id;
        if (active == _signingKeyId)
            return;
        if (_signingKeyId is not null)
        {
            LogRetired(logger, _signingKeyId);
            metrics.RecordKeyEvent("retired", TokenKeyUses.Signing);
        }
        LogActivated(logger, active);
        metrics.RecordKeyEvent("activated", TokenKeyUses.Signing);
        _signingKeyId = active;
    }

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "This instance now signs with key {KeyId}")]
    private static partial void LogActivated(ILogger logger, string keyId);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Information, Message = "Key {KeyId} retired: no longer signs, still published until its retirement period ends")]
    private static partial void LogRetired(ILogger logger, string keyId);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Warning, Message = "Could not follow the token keys in the database ({Reason}); the loaded keys stay in use")]
    private static partial void LogFollowFailed(ILogger logger, string reason);
}
