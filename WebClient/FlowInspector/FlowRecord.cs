using System.Text.Json.Serialization;

namespace OAuthDemo.WebClient.FlowInspector;

/// <summary>One step of a sign-in or refresh, as the flow inspector shows it.</summary>
public sealed record FlowStep(
    string Key,
    DateTimeOffset At,
    string? TraceId,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    string? Url = null,
    IReadOnlyList<DecodedToken>? Tokens = null,
    string? SpanId = null)
{
    [JsonIgnore]
    public string Title => FlowSteps.Describe(Key).Title;

    [JsonIgnore]
    public string Explanation => FlowSteps.Describe(Key).Explanation;
}

/// <summary>Everything that happened in one sign-in, and the refreshes after it.</summary>
public sealed record FlowRecord(string Id, IReadOnlyList<FlowStep> Steps)
{
    /// <summary>A parameter of the latest step with that key.</summary>
    public string? Parameter(string stepKey, string name) =>
        Steps.LastOrDefault(s => s.Key == stepKey)?.Parameters.FirstOrDefault(p => p.Key == name).Value;
}
