using System.Globalization;
using System.Text.Json;

namespace OAuthDemo.WebClient.FlowInspector;

/// <summary>A JWT time claim, raw and in words.</summary>
public sealed record TimeClaim(string Name, long Seconds, string When, string Relative);

/// <summary>
/// Times the way the inspector shows them: one format everywhere (UTC, as the dashboard can be set
/// to show it), and how long ago or how soon, next to the raw seconds of exp, iat, nbf and auth_time.
/// </summary>
public static class ReadableTimes
{
    private static readonly string[] Claims = ["iat", "nbf", "auth_time", "exp"];

    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"in 14 min", "3 min ago", "just now".</summary>
    public static string Relative(DateTimeOffset time, DateTimeOffset now)
    {
        var difference = time - now;
        var size = difference.Duration();
        var amount = size.TotalDays >= 2 ? $"{(int)size.TotalDays} days"
            : size.TotalHours >= 2 ? $"{(int)size.TotalHours} h"
            : size.TotalMinutes >= 1 ? $"{(int)size.TotalMinutes} min"
            : size.TotalSeconds >= 5 ? $"{(int)size.TotalSeconds} s"
            : null;
        return amount is null ? "just now" : difference > TimeSpan.Zero ? $"in {amount}" : $"{amount} ago";
    }

    /// <summary>The time claims of a decoded token's payload, each in words; exp says "expires"/"expired".</summary>
    public static IReadOnlyList<TimeClaim> Of(string claimsJson, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(claimsJson))
            return [];
        using var document = JsonDocument.Parse(claimsJson);
        var times = new List<TimeClaim>();
        foreach (var name in Claims)
        {
            if (!document.RootElement.TryGetProperty(name, out var value) || !value.TryGetInt64(out var seconds))
                continue;
            var time = DateTimeOffset.FromUnixTimeSeconds(seconds);
            var relative = Relative(time, now);
            if (name == "exp")
                relative = time > now ? $"expires {relative}" : $"expired {relative}";
            times.Add(new TimeClaim(name, seconds, Format(time), relative));
        }
        return times;
    }
}
