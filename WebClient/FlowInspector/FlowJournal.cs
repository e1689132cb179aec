using System.Diagnostics;
using Microsoft.Extensions.Caching.Memory;

namespace OAuthDemo.WebClient.Flow;

/// <summary>One step of a sign-in or refresh, as the flow inspector shows it.</summary>
public sealed record FlowStep(
    string Title,
    string Explanation,
    DateTimeOffset At,
    string? TraceId,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    string? Url = null,
    IReadOnlyList<DecodedToken>? Tokens = null);

/// <summary>Everything that happened in one sign-in, and the refreshes after it.</summary>
public sealed class FlowRecord(string id)
{
    private readonly List<FlowStep> _steps = [];

    public string Id { get; } = id;

    public IReadOnlyList<FlowStep> Steps
    {
        get { lock (_steps) return _steps.ToList(); }
    }

    public void Add(FlowStep step)
    {
        lock (_steps) _steps.Add(step);
    }

    public string? Parameter(string stepTitle, string name) =>
        Steps.LastOrDefault(s => s.Title == stepTitle)?.Parameters.FirstOrDefault(p => p.Key == name).Value;
}

/// <summary>
/// The sign-in flows of this process, keyed by an id carried in the authentication properties
/// (the OIDC state, then the session ticket). Kept in memory for a working day.
/// </summary>
public sealed class FlowJournal(IMemoryCache cache, TimeProvider clock)
{
    public const string PropertyKey = "oauthdemo.flow";

    private static readonly TimeSpan Retention = TimeSpan.FromHours(8);

    public FlowRecord Start()
    {
        var record = new FlowRecord(Guid.NewGuid().ToString("N"));
        cache.Set(record.Id, record, new MemoryCacheEntryOptions { SlidingExpiration = Retention });
        return record;
    }

    public FlowRecord? Find(string? id) => id is not null && cache.TryGetValue(id, out FlowRecord? record) ? record : null;

    public void Record(string? id, string title, string explanation, IEnumerable<KeyValuePair<string, string>> parameters,
        string? url = null, IReadOnlyList<DecodedToken>? tokens = null) =>
        Find(id)?.Add(new FlowStep(title, explanation, clock.GetUtcNow(), Activity.Current?.TraceId.ToString(), parameters.ToList(), url, tokens));
}
