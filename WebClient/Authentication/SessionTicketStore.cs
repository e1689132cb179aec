using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OAuthDemo.WebClient.Data;

namespace OAuthDemo.WebClient.Authentication;

/// <summary>
/// Keeps each session's ticket (claims and tokens) on the server, in <c>webdb</c>, encrypted; the
/// browser's cookie carries only a random session key. This is what makes the BFF: tokens never
/// reach the browser, and any replica can serve any session.
/// </summary>
public sealed partial class SessionTicketStore(
    IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, TimeProvider clock, ILogger<SessionTicketStore> logger) : ITicketStore
{
    private const string SessionKeyItem = "oauthdemo.session";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("OAuthDemo.WebClient.SessionTicket");

    /// <summary>The key of the stored session these properties belong to.</summary>
    public static string? KeyOf(AuthenticationProperties session) => session.Items.TryGetValue(SessionKeyItem, out var key) ? key : null;

    /// <summary>When the session's access token expires: what tells a newer set of tokens from an older one.</summary>
    public static DateTimeOffset? TokensExpireAt(AuthenticationProperties session) =>
        DateTimeOffset.TryParse(session.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        ticket.Properties.Items[SessionKeyItem] = key;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebDbContext>();
        db.Sessions.Add(new WebSession { Key = key, Ticket = Protect(ticket), ExpiresAt = ticket.Properties.ExpiresUtc, TokensExpireAt = TokensExpireAt(ticket.Properties) });
        await db.SaveChangesAsync();
        return key;
    }

    /// <summary>
    /// Writes the ticket back (a sliding renewal, or new tokens), unless the row already holds newer
    /// tokens: a slow request must not put back a refresh token another one has spent.
    /// </summary>
    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        ticket.Properties.Items[SessionKeyItem] = key;
        var tokensExpireAt = TokensExpireAt(ticket.Properties);
        var protectedTicket = Protect(ticket);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var sessions = scope.ServiceProvider.GetRequiredService<WebDbContext>().Sessions.Where(s => s.Key == key);
            var written = await sessions.Where(s => s.TokensExpireAt == null || tokensExpireAt == null || s.TokensExpireAt <= tokensExpireAt)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, protectedTicket).SetProperty(x => x.ExpiresAt, ticket.Properties.ExpiresUtc).SetProperty(x => x.TokensExpireAt, tokensExpireAt));
            if (written == 0)
                await sessions.ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, ticket.Properties.ExpiresUtc));
        }
        catch (Exception ex) when (DependencyOutage.IsOutage(ex))
        {
            // Called as the response starts, when no error page can be shown any more. Nothing is
            // lost: renewed tokens were stored by RefreshOnceAsync (or are kept until they can be); only
            // the session's sliding expiry waits for the next request.
            LogRenewalSkipped(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Session not renewed: the database is unavailable ({ExceptionType}); the next request renews it")]
    private static partial void LogRenewalSkipped(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "New tokens of a session could not be stored ({ExceptionType}); kept in memory and stored when the database takes them")]
    private static partial void LogStoreDeferred(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "New tokens of a session stored after the database came back")]
    private static partial void LogStoredLate(ILogger logger);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Error, Message = "New tokens of a session could not be stored before its refresh claim ran out ({ExceptionType}); the session will end at its next refresh")]
    private static partial void LogStoreAbandoned(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Warning, Message = "A session's refresh claim could not be cleared ({ExceptionType}); it runs out by itself")]
    private static partial void LogClaimLeft(ILogger logger, string exceptionType);

    public Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken) =>
        // The error page for a database outage must render: its re-executed request does not look
        // for the session again (it would fail the same way), and shows the page signed out.
        httpContext.Features.Get<IExceptionHandlerFeature>() is { Error: var error } && DependencyOutage.IsOutage(error)
            ? Task.FromResult<AuthenticationTicket?>(null)
            : RetrieveAsync(key);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var session = await scope.ServiceProvider.GetRequiredService<WebDbContext>().Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Key == key);
        return session is null || session.ExpiresAt < clock.GetUtcNow() ? null : Unprotect(session.Ticket);
    }

    public async Task RemoveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebDbContext>().Sessions.Where(s => s.Key == key).ExecuteDeleteAsync();
    }

    /// <summary>
    /// How long a started refresh keeps every other request and replica from starting its own: long
    /// enough to redeem (10 s at most) and to store the new tokens through a database restart; short
    /// enough that a replica that died meanwhile holds the others up for less than the minute the
    /// tokens are renewed ahead of their expiry.
    /// </summary>
    public static readonly TimeSpan RefreshLease = TimeSpan.FromSeconds(45);

    /// <summary>The one that started stops trying to store this long before its claim ends, so clocks a little apart never overlap.</summary>
    private static readonly TimeSpan ClaimMargin = TimeSpan.FromSeconds(5);

    /// <summary>How long a request whose tokens have expired waits for another request's refresh.</summary>
    private static readonly TimeSpan WaitForOtherRefresh = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Renews the session's tokens, unless someone already did or is doing it. The refresh token is
    /// spent the moment the auth server answers, so the order matters: (1) claim the refresh in the
    /// session's row and commit the claim (SELECT … FOR UPDATE, so one request on one replica wins;
    /// the others keep the tokens they have, or wait briefly if those have expired); (2) redeem; (3) store the new
    /// tokens. If the database goes away between (2) and (3), the claim still stands in the row, so
    /// nobody redeems the spent token (a replay would revoke the whole sign-in); the new tokens are
    /// kept in memory and stored as soon as the database is back. A refusal deletes the session.
    /// </summary>
    public async Task<RefreshOutcome> RefreshOnceAsync(
        string key, DateTimeOffset? heldTokensExpireAt, Func<string, string?, CancellationToken, Task<RefreshOutcome>> redeem, CancellationToken ct)
    {
        AuthenticationTicket stored = null!;
        DateTimeOffset claimedAt;
        var claimedElsewhere = false;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WebDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var row = await db.Sessions.FromSql($"SELECT * FROM \"Sessions\" WHERE \"Key\" = {key} FOR UPDATE").SingleOrDefaultAsync(ct);
            if (row is null || Unprotect(row.Ticket) is not { } ticket)
                return new Refused("session_ended"); // signed out meanwhile, here or on another replica
            if (row.TokensExpireAt > heldTokensExpireAt)
                return new Refreshed(TokensOf(ticket.Properties), RedeemedHere: false); // another request refreshed first
            claimedAt = clock.GetUtcNow();
            claimedAt = claimedAt.AddTicks(-(claimedAt.Ticks % 10)); // PostgreSQL keeps microseconds: compared again below
            if (row.RefreshStartedAt + RefreshLease > claimedAt)
                claimedElsewhere = true;
            else if (ticket.Properties.GetTokenValue("refresh_token") is null)
                return new Refused("no_refresh_token");
            else
            {
                row.RefreshStartedAt = claimedAt;
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                stored = ticket;
            }
        }
        if (claimedElsewhere)
            return await TokensOfTheOtherRefreshAsync(key, heldTokensExpireAt, ct);

        RefreshOutcome outcome;
        try
        {
            outcome = await redeem(stored.Properties.GetTokenValue("refresh_token")!, stored.Properties.GetTokenValue("id_token"), ct);
        }
        catch
        {
            await ReleaseClaimAsync(); // no answer was read, so nothing was spent that we know of
            throw;
        }

        switch (outcome)
        {
            case Refreshed refreshed:
                Apply(refreshed.Tokens, stored.Properties);
                var ticket = Protect(stored);
                try
                {
                    // Not cancelled with the request: the refresh token is spent, its replacement must land.
                    await StoreRefreshedAsync(key, ticket, refreshed.Tokens.ExpiresAt, claimedAt);
                }
                catch (Exception ex)
                {
                    LogStoreDeferred(logger, ex.GetType().Name);
                    _ = KeepStoringRefreshedAsync(key, ticket, refreshed.Tokens.ExpiresAt, claimedAt);
                }
                break;
            case Refused:
                await ForgetAsync(sessions => sessions.ExecuteDeleteAsync(CancellationToken.None));
                break;
            default:
                await ReleaseClaimAsync(); // nothing was spent: the next request tries again
                break;
        }
        return outcome;

        Task ReleaseClaimAsync() => ForgetAsync(sessions => sessions.Where(s => s.RefreshStartedAt == claimedAt)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RefreshStartedAt, (DateTimeOffset?)null), CancellationToken.None));

        // Best effort: if the database is away, the claim runs out by itself.
        async Task ForgetAsync(Func<IQueryable<WebSession>, Task<int>> change)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await change(scope.ServiceProvider.GetRequiredService<WebDbContext>().Sessions.Where(s => s.Key == key));
            }
            catch (Exception ex) when (DependencyOutage.IsOutage(ex))
            {
                LogClaimLeft(logger, ex.GetType().Name);
            }
        }
    }

    /// <summary>
    /// Another request is refreshing this session. Tokens that still work are kept (a later request
    /// finds the new ones); expired ones are no use, so this request waits a little for the new tokens.
    /// </summary>
    private async Task<RefreshOutcome> TokensOfTheOtherRefreshAsync(string key, DateTimeOffset? heldTokensExpireAt, CancellationToken ct)
    {
        if (heldTokensExpireAt > clock.GetUtcNow())
            return new Unavailable("refresh_in_progress");

        var giveUpAt = clock.GetUtcNow() + WaitForOtherRefresh;
        while (clock.GetUtcNow() < giveUpAt)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), clock, ct);
            if (await RetrieveAsync(key) is not { } ticket)
                return new Refused("session_ended");
            if (TokensExpireAt(ticket.Properties) > heldTokensExpireAt)
                return new Refreshed(TokensOf(ticket.Properties), RedeemedHere: false);
        }
        return new Unavailable("refresh_in_progress");
    }

    /// <summary>
    /// Writes new tokens and ends the claim, if the claim is still this one (a late write must not
    /// end another's) and the row holds no newer tokens.
    /// </summary>
    private async Task StoreRefreshedAsync(string key, byte[] ticket, DateTimeOffset tokensExpireAt, DateTimeOffset claimedAt)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebDbContext>().Sessions
            .Where(s => s.Key == key && s.RefreshStartedAt == claimedAt && (s.TokensExpireAt == null || s.TokensExpireAt <= tokensExpireAt))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, ticket).SetProperty(x => x.TokensExpireAt, tokensExpireAt)
                .SetProperty(x => x.RefreshStartedAt, (DateTimeOffset?)null));
    }

    /// <summary>
    /// The spent refresh token's replacement exists only here now: retried every second while the
    /// claim keeps everyone else from redeeming (less a margin for clocks a little apart).
    /// </summary>
    private async Task KeepStoringRefreshedAsync(string key, byte[] ticket, DateTimeOffset tokensExpireAt, DateTimeOffset claimedAt)
    {
        var until = claimedAt + RefreshLease - ClaimMargin;
        var lastError = "";
        while (clock.GetUtcNow() + TimeSpan.FromSeconds(1) < until)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), clock);
            try
            {
                await StoreRefreshedAsync(key, ticket, tokensExpireAt, claimedAt);
                LogStoredLate(logger);
                return;
            }
            catch (Exception ex)
            {
                lastError = ex.GetType().Name;
            }
        }
        LogStoreAbandoned(logger, lastError);
    }

    /// <summary>Puts new tokens into a session's properties.</summary>
    public static void Apply(RefreshedTokens tokens, AuthenticationProperties session)
    {
        session.UpdateTokenValue("access_token", tokens.AccessToken);
        if (tokens.RefreshToken is not null)
            session.UpdateTokenValue("refresh_token", tokens.RefreshToken);
        if (tokens.IdToken is not null)
            session.UpdateTokenValue("id_token", tokens.IdToken);
        session.UpdateTokenValue("expires_at", tokens.ExpiresAt.ToString("o", CultureInfo.InvariantCulture));
    }

    private static RefreshedTokens TokensOf(AuthenticationProperties session)
    {
        var expiresAt = TokensExpireAt(session) ?? DateTimeOffset.MinValue;
        return new RefreshedTokens(session.GetTokenValue("access_token")!, session.GetTokenValue("refresh_token"), session.GetTokenValue("id_token"), 0, expiresAt);
    }

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));

    /// <summary>Null when the ticket cannot be read (e.g. its Data Protection key is gone): the user signs in again.</summary>
    private AuthenticationTicket? Unprotect(byte[] protectedTicket)
    {
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(protectedTicket));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
