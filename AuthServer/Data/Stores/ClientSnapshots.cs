using System.Collections.Concurrent;
using OpenIddict.EntityFrameworkCore.Models;

namespace OAuthDemo.AuthServer.Data.Stores;

/// <summary>
/// The registered clients (OpenIddict applications) by client_id, shared by every request of this
/// instance, so a token request does not query its client. Why this is safe:
/// <list type="bullet">
/// <item>Every insert, update or delete of a client row, by any writer, notifies every replica
/// (a trigger on the table, in the writing transaction), and <see cref="ClientChangeListener"/>
/// drops the entry. It is used only while that listener is connected and has proved, by a probe
/// round trip, that notifications arrive; otherwise nothing is served, and it starts empty each
/// time listening resumes.</item>
/// <item>A row read before a change was heard is never stored after it: each change moves a
/// generation counter, and a read is remembered only if the generation did not move meanwhile.</item>
/// <item>Each request gets its own copy, attached to its DbContext as if it had been queried; no
/// entity instance is shared between contexts or threads. Entries also expire after
/// <see cref="MaxAge"/>, a backstop that notifications make unnecessary.</item>
/// </list>
/// </summary>
public sealed class ClientSnapshots(TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Snapshot> _byClientId = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _generation;
    private bool _serving;

    private sealed record Snapshot(OpenIddictEntityFrameworkCoreApplication Application, DateTimeOffset StoredAt);

    /// <summary>Taken before reading a client from the database; see <see cref="Remember"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>A fresh copy of the client, or null when it is not held (or nothing may be served).</summary>
    public OpenIddictEntityFrameworkCoreApplication? Find(string clientId) =>
        Volatile.Read(ref _serving) && _byClientId.TryGetValue(clientId, out var snapshot) && clock.GetUtcNow() - snapshot.StoredAt < MaxAge
            ? Copy(snapshot.Application)
            : null;

    /// <summary>Keeps a copy of a client read from the database, unless a change was heard since <paramref name="readGeneration"/>.</summary>
    public void Remember(OpenIddictEntityFrameworkCoreApplication application, long readGeneration)
    {
        if (application.ClientId is not { } clientId)
            return;
        lock (_lock)
        {
            if (_serving && _generation == readGeneration)
                _byClientId[clientId] = new Snapshot(Copy(application), clock.GetUtcNow());
        }
    }

    /// <summary>A client changed (null: any may have).</summary>
    public void Forget(string? clientId)
    {
        lock (_lock)
        {
            _generation++;
            if (clientId is null)
                _byClientId.Clear();
            else
                _byClientId.TryRemove(clientId, out _);
        }
    }

    /// <summary>Changes are heard from now on: start empty, then serve.</summary>
    internal void StartServing()
    {
        lock (_lock)
        {
            _generation++;
            _byClientId.Clear();
            _serving = true;
        }
    }

    /// <summary>Changes may be missed from now on: stop serving and forget everything.</summary>
    internal void StopServing()
    {
        lock (_lock)
        {
            _generation++;
            _serving = false;
            _byClientId.Clear();
        }
    }

    /// <summary>Every mapped column of the client (a unit test holds this list to the EF Core model).</summary>
    internal static OpenIddictEntityFrameworkCoreApplication Copy(OpenIddictEntityFrameworkCoreApplication a) => new()
    {
        Id = a.Id,
        ApplicationType = a.ApplicationType,
        ClientId = a.ClientId,
        ClientSecret = a.ClientSecret,
        ClientType = a.ClientType,
        ConcurrencyToken = a.ConcurrencyToken,
        ConsentType = a.ConsentType,
        DisplayName = a.DisplayName,
        DisplayNames = a.DisplayNames,
        JsonWebKeySet = a.JsonWebKeySet,
        Permissions = a.Permissions,
        PostLogoutRedirectUris = a.PostLogoutRedirectUris,
        Properties = a.Properties,
        RedirectUris = a.RedirectUris,
        Requirements = a.Requirements,
        Settings = a.Settings,
    };
}
