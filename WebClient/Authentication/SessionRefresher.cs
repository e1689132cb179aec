using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;

namespace OAuthDemo.WebClient.Authentication;

/// <summary>
/// Renews a session's tokens exactly once, however many of its requests need it at the same time,
/// on however many replicas: refresh tokens rotate and a reused one revokes the whole family (the
/// user would be signed out). Across replicas a claim in the session's row in webdb decides who
/// redeems (<see cref="SessionTicketStore.RefreshOnceAsync"/>); within a replica, requests of one session
/// share one attempt, so they hold one database connection between them, not one each.
/// </summary>
public sealed partial class SessionRefresher(
    SessionTicketStore sessions, RefreshTokenClient refreshTokens, IEnumerable<IRefreshObserver> observers, ILogger<SessionRefresher> logger)
{
    /// <summary>How long one attempt may hold the session's row, whatever the requests waiting for it do.</summary>
    private static readonly TimeSpan AttemptLimit = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Lazy<Task<RefreshOutcome>>> _attempts = new(StringComparer.Ordinal);

    /// <summary>Renews the tokens in <paramref name="session"/> (the cookie's copy of the ticket) when the outcome is <see cref="Refreshed"/>.</summary>
    public async Task<RefreshOutcome> RefreshAsync(AuthenticationProperties session)
    {
        if (SessionTicketStore.KeyOf(session) is not { } key)
            return new Refused("no_session");

        var attempt = _attempts.GetOrAdd(key, k => new Lazy<Task<RefreshOutcome>>(() => AttemptAsync(k, session)));
        RefreshOutcome outcome;
        try
        {
            outcome = await attempt.Value;
        }
        finally
        {
            _attempts.TryRemove(KeyValuePair.Create(key, attempt));
        }

        if (outcome is Refreshed refreshed)
            SessionTicketStore.Apply(refreshed.Tokens, session);
        return outcome;
    }

    private async Task<RefreshOutcome> AttemptAsync(string key, AuthenticationProperties session)
    {
        // Shared by every waiting request, so no single request's cancellation may abandon it.
        using var limit = new CancellationTokenSource(AttemptLimit);
        var spent = session.GetTokenValue("refresh_token");
        RefreshOutcome outcome;
        try
        {
            outcome = await sessions.RefreshOnceAsync(key, SessionTicketStore.TokensExpireAt(session), refreshTokens.RedeemAsync, limit.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or Npgsql.NpgsqlException or TimeoutException)
        {
            LogAttemptFailed(logger, e.GetType().Name);
            return new Unavailable(e.GetType().Name);
        }

        // Told once the new tokens are stored, outside the lock: an observer's failure changes nothing.
        await NotifyAsync(session, spent, outcome);
        return outcome;
    }

    private async Task NotifyAsync(AuthenticationProperties session, string? spent, RefreshOutcome outcome)
    {
        using var limit = new CancellationTokenSource(AttemptLimit);
        foreach (var observer in observers)
        {
            try
            {
                if (outcome is Refreshed { RedeemedHere: true } refreshed)
                    await observer.RefreshedAsync(session, spent ?? "", refreshed.Tokens, limit.Token);
                else if (outcome is Refused refused)
                    await observer.RefusedAsync(session, refused.Error, limit.Token);
            }
            catch (Exception e)
            {
                LogObserverFailed(logger, observer.GetType().Name, e);
            }
        }
    }

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Renewing a session's tokens failed ({Reason}); it keeps its tokens and tries again later")]
    private static partial void LogAttemptFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "{Observer} failed to record a refresh")]
    private static partial void LogObserverFailed(ILogger logger, string observer, Exception exception);
}
