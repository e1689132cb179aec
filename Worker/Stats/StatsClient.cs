using System.Net.Http.Json;

namespace OAuthDemo.Worker.Stats;

public sealed record ApiStats(int Users, int Notes, DateTimeOffset? NewestNoteAt);

/// <summary>The resource API as the worker sees it; the bearer token is added by <see cref="Tokens.TokenCachingHandler"/>.</summary>
public sealed class StatsClient(HttpClient http)
{
    public async Task<ApiStats> GetStatsAsync(CancellationToken ct) =>
        await http.GetFromJsonAsync<ApiStats>("api/stats", ct)
        ?? throw new InvalidOperationException("GET /api/stats returned no body.");
}
