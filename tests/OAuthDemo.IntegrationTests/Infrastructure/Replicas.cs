using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>One running instance of a replicated resource, at its own address (not Aspire's proxy).</summary>
public sealed record Replica(string Id, Uri Endpoint);

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
            if (change.Snapshot.State?.Text == "Running" && change.Snapshot.HealthStatus == HealthStatus.Healthy && url is not null)
                healthy[change.ResourceId] = new Replica(change.ResourceId, new Uri(url.Split(';')[0]));
            else
                healthy.Remove(change.ResourceId);
            if (healthy.Count == count)
                return healthy.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        }
        throw new InvalidOperationException($"{resource} never had {count} healthy replicas.");
    }
}
