using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OAuthDemo.WebClient.Data;

namespace OAuthDemo.WebClient.Authentication;

/// <summary>
/// Keeps each session's ticket (claims and tokens) on the server, in <c>webdb</c>, encrypted; the
/// browser's cookie carries only a random session key. This is what makes the BFF: tokens never
/// reach the browser, and any replica can serve any session.
/// </summary>
public sealed class SessionTicketStore(IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, TimeProvider clock) : ITicketStore
{
    private const string SessionKeyItem = "oauthdemo.session";

    /// <summary>How long a refresh may hold the session's row, whatever the requests waiting for it do.</summary>
    private static readonly TimeSpan RefreshLimit = TimeSpan.FromSeconds(30);

    private readonly IDataProtector _protector = dataProtection.CreateProtector("OAuthDemo.WebClient.SessionTicket");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        ticket.Properties.Items[SessionKeyItem] = key; // lets a refresh find its own row
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebDbContext>();
        db.Sessions.Add(new WebSession { Key = key, Ticket = Protect(ticket), ExpiresAt = ticket.Properties.ExpiresUtc });
        await db.SaveChangesAsync();
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebDbContext>().Sessions.Where(s => s.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, Protect(ticket)).SetProperty(x => x.ExpiresAt, ticket.Properties.ExpiresUtc));
    }

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
    /// Renews the session's tokens exactly once, whichever replica or request gets here first: the
    /// session's row is locked (SELECT … FOR UPDATE) while its refresh token is redeemed, and a
    /// request that waited finds the winner's new tokens in the row instead of spending the
    /// refresh token again (a second redemption would revoke the family and sign the user out).
    /// Returns false when the session is gone or the auth server refused the refresh.
    /// </summary>
    public async Task<bool> RefreshOnceAsync(AuthenticationProperties session, Func<string, CancellationToken, Task<RefreshedTokens?>> redeem)
    {
        if (!session.Items.TryGetValue(SessionKeyItem, out var key) || key is null || session.GetTokenValue("refresh_token") is not { } refreshToken)
            return false;

        // Shared by every request waiting on the row, so no single request's cancellation may abandon it.
        using var limit = new CancellationTokenSource(RefreshLimit);
        var ct = limit.Token;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var row = await db.Sessions.FromSql($"SELECT * FROM \"Sessions\" WHERE \"Key\" = {key} FOR UPDATE").SingleOrDefaultAsync(ct);
        if (row is null)
            return false; // signed out meanwhile, here or on another replica

        var stored = Unprotect(row.Ticket);
        if (stored is not null && stored.Properties.GetTokenValue("refresh_token") != refreshToken)
        {
            // Another request refreshed while this one waited: use its tokens.
            CopyTokens(from: stored.Properties, to: session);
            return true;
        }

        var tokens = await redeem(refreshToken, ct);
        if (tokens is null)
        {
            db.Sessions.Remove(row);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return false;
        }

        Apply(tokens, session);
        if (stored is not null)
        {
            Apply(tokens, stored.Properties);
            row.Ticket = Protect(stored);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    private static void Apply(RefreshedTokens tokens, AuthenticationProperties session)
    {
        session.UpdateTokenValue("access_token", tokens.AccessToken);
        if (tokens.RefreshToken is not null)
            session.UpdateTokenValue("refresh_token", tokens.RefreshToken);
        if (tokens.IdToken is not null)
            session.UpdateTokenValue("id_token", tokens.IdToken);
        session.UpdateTokenValue("expires_at", tokens.ExpiresAt.ToString("o", CultureInfo.InvariantCulture));
    }

    private static void CopyTokens(AuthenticationProperties from, AuthenticationProperties to)
    {
        foreach (var name in (string[])["access_token", "refresh_token", "id_token", "expires_at"])
            if (from.GetTokenValue(name) is { } value)
                to.UpdateTokenValue(name, value);
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
