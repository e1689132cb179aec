using System.Text.Json;
using System.Text.Json.Serialization;

namespace OAuthDemo.WebClient.AttackLab;

/// <summary>
/// One request an attack sent and the server's real answer, as its card shows them: credentials and
/// tokens masked, never the values themselves.
/// </summary>
public sealed record LabExchange(
    string Title,
    string Request,
    IReadOnlyList<KeyValuePair<string, string>> Sent,
    int Status,
    string Reason,
    string? Error = null,
    string? ErrorDescription = null,
    string? WwwAuthenticate = null,
    string? Location = null,
    string? Answer = null)
{
    /// <summary>The status line as the card shows it: <c>401 Unauthorized</c>.</summary>
    public string StatusLine => $"{Status} {Reason}";
}

/// <summary>Whether the defence held: the attack was refused, it was not, or it could not be tried to the end.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LabResult>))]
public enum LabResult
{
    Refused,
    NotRefused,
    Incomplete,
}

/// <summary>
/// What one run of an attack showed: its exchanges in order, whether the defence held, a verdict in
/// words, and the run's span in the dashboard.
/// </summary>
public sealed record LabOutcome(
    string Attack,
    DateTimeOffset At,
    IReadOnlyList<LabExchange> Exchanges,
    LabResult Result,
    string Verdict,
    string? TraceId,
    string? SpanId,
    string? Note = null)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static LabOutcome? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return null;
        try
        {
            return JsonSerializer.Deserialize<LabOutcome>(json);
        }
        catch (JsonException)
        {
            return null; // written by another version of the lab: nothing to show
        }
    }
}
