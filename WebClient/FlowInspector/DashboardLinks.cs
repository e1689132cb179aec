namespace OAuthDemo.WebClient.FlowInspector;

/// <summary>Links into the Aspire dashboard, where each step's span shows what every service did for it.</summary>
public static class DashboardLinks
{
    /// <summary>The span's page (or its trace's, without a span id); none when the dashboard or the trace is unknown.</summary>
    public static string? Span(string? dashboardUrl, string? traceId, string? spanId) =>
        dashboardUrl is { Length: > 0 } dashboard && traceId is not null
            ? $"{dashboard.TrimEnd('/')}/traces/detail/{traceId}" + (spanId is not null ? $"?spanId={spanId}" : "")
            : null;
}
