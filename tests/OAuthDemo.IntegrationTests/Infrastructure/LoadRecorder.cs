using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>One request of a load: what it was, when it started, how long it took, and whether it did what it should.</summary>
public sealed record LoadOutcome(string Operation, DateTimeOffset At, TimeSpan Took, bool Succeeded, string Detail);

/// <summary>
/// Runs operations in loops until told to stop and records every outcome; a call that gets no
/// answer (refused, reset, timed out) is a failure like any other, not a crash of the test.
/// </summary>
public sealed class LoadRecorder
{
    private readonly ConcurrentQueue<LoadOutcome> _outcomes = new();

    public IReadOnlyList<LoadOutcome> Outcomes => _outcomes.ToList();

    /// <summary>Repeats <paramref name="step"/> (true when it worked, and a word on what happened) with a pause between runs.</summary>
    public async Task RunAsync(string operation, Func<Task<(bool Succeeded, string Detail)>> step, TimeSpan pause, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var at = DateTimeOffset.UtcNow;
            var watch = Stopwatch.StartNew();
            (bool Succeeded, string Detail) result;
            try
            {
                result = await step();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                result = (false, e.GetType().Name);
            }
            _outcomes.Enqueue(new LoadOutcome(operation, at, watch.Elapsed, result.Succeeded, result.Detail));
            try
            {
                await Task.Delay(pause, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>A token request's outcome: it worked when tokens came back; else its status and error.</summary>
    public static (bool Succeeded, string Detail) TokensIssued(TokenResponse response) =>
        (response.AccessToken is not null, $"{(int)response.Status} {response.Error}");

    /// <summary>Per operation: requests, failures, and the 50th and 99th percentile of their durations.</summary>
    public string Summary(DateTimeOffset? since = null)
    {
        var text = new StringBuilder();
        foreach (var group in Outcomes.Where(o => since is null || o.At >= since).GroupBy(o => o.Operation).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var durations = group.Select(o => o.Took.TotalMilliseconds).Order().ToList();
            text.AppendLine(System.FormattableString.Invariant(
                $"{group.Key}: {group.Count()} requests, {group.Count(o => !o.Succeeded)} failed, p50 {Percentile(durations, 0.50):F0} ms, p99 {Percentile(durations, 0.99):F0} ms"));
        }
        return text.ToString();
    }

    private static double Percentile(List<double> sorted, double fraction) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
}
