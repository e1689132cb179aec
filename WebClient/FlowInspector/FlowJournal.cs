using System.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace OAuthDemo.WebClient.FlowInspector;

/// <summary>
/// The sign-in flows of this process, keyed by an id carried in the authentication properties
/// (the OIDC state, then the session ticket). Kept in memory for a working day.
/// </summary>
public sealed class FlowJournal(IMemoryCache cache, TimeProvider clock)
{
    private const string PropertyKey = "oauthdemo.flow";

    private static readonly TimeSpan Retention = TimeSpan.FromHours(8);

    /// <summary>Starts a record and ties it to the sign-in these properties travel with.</summary>
    public FlowRecord Start(AuthenticationProperties properties)
    {
        var record = new FlowRecord(Guid.NewGuid().ToString("N"));
        cache.Set(record.Id, record, new MemoryCacheEntryOptions { SlidingExpiration = Retention });
        properties.Items[PropertyKey] = record.Id;
        return record;
    }

    /// <summary>The record of the sign-in these properties (state or session ticket) belong to.</summary>
    public FlowRecord? Find(AuthenticationProperties? properties) =>
        properties?.Items.TryGetValue(PropertyKey, out var id) == true && id is not null && cache.TryGetValue(id, out FlowRecord? record) ? record : null;

    public void Record(AuthenticationProperties? properties, string stepKey, IEnumerable<KeyValuePair<string, string>> parameters,
        string? url = null, IReadOnlyList<DecodedToken>? tokens = null) =>
        Find(properties)?.Add(new FlowStep(stepKey, clock.GetUtcNow(), Activity.Current?.TraceId.ToString(), parameters.ToList(), url, tokens));
}
