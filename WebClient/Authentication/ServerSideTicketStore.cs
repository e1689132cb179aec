using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace OAuthDemo.WebClient.Authentication;

/// <summary>
/// Keeps each session's ticket (claims and tokens) on the server; the browser's cookie carries
/// only a random session key. This is what makes the BFF: tokens never reach the browser.
/// In memory here, so sessions live as long as this process; several replicas need a shared store.
/// </summary>
public sealed class ServerSideTicketStore(TimeProvider clock) : ITicketStore
{
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _tickets = new(StringComparer.Ordinal);

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        _tickets[key] = ticket;
        RemoveExpired();
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        _tickets[key] = ticket;
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(_tickets.TryGetValue(key, out var ticket) && !IsExpired(ticket) ? ticket : null);

    public Task RemoveAsync(string key)
    {
        _tickets.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    private bool IsExpired(AuthenticationTicket ticket) => ticket.Properties.ExpiresUtc is { } expires && expires < clock.GetUtcNow();

    private void RemoveExpired()
    {
        foreach (var (key, ticket) in _tickets)
            if (IsExpired(ticket))
                _tickets.TryRemove(key, out _);
    }
}
