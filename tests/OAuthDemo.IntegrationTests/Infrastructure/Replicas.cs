using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>
/// One running instance of a replicated resource, at its own address (not Aspire's proxy);
/// <paramref name="ProcessId"/> is the <c>dotnet run</c> Aspire started it with.
/// </summary>
public sealed record Replica(string Id, Uri Endpoint, int ProcessId);

public static class Replicas
{
    /// <summary>
    /// Waits until <paramref name="count"/> instances of <paramref name="resource"/> are running and
    /// healthy, and returns each one's own address (the URL DCP gave that process).
    /// </summary>
    public static async Task<IReadOnlyList<Replica>> WaitForReplicasAsync(this DistributedApplication app, string resource, int count, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var healthy = new Dictionary<string, Replica>();
        await foreach (var change in app.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (change.Resource.Name != resource)
                continue;
            var url = change.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value;
            var pid = change.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value;
            if (change.Snapshot.State?.Text == "Running" && change.Snapshot.HealthStatus == HealthStatus.Healthy && url is not null && pid is not null)
                healthy[change.ResourceId] = new Replica(change.ResourceId, new Uri(url.Split(';')[0]), Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture));
            else
                healthy.Remove(change.ResourceId);
            if (healthy.Count == count && await AllAnswerAsync(healthy.Values, timeout.Token))
                return healthy.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        }
        throw new InvalidOperationException($"{resource} never had {count} healthy replicas.");
    }

    /// <summary>
    /// Each replica answers its own /health: a replica still starting can be reported healthy
    /// before it listens (seen when a test asks right after the AppHost started).
    /// </summary>
    private static async Task<bool> AllAnswerAsync(IEnumerable<Replica> replicas, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var replica in replicas)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                try
                {
                    using var health = await http.GetAsync(new Uri(replica.Endpoint, "/health"), ct);
                    if (health.IsSuccessStatusCode)
                        break;
                }
                catch (HttpRequestException)
                {
                }
                if (DateTime.UtcNow > deadline)
                    return false;
                await Task.Delay(250, ct);
            }
        }
        return true;
    }
}
