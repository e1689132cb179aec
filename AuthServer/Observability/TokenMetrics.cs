using System.Diagnostics.Metrics;
using OAuthDemo.AuthServer.Keys;

namespace OAuthDemo.AuthServer.Observability;

/// <summary>
/// Counts token events (meter <c>OAuthDemo.AuthServer</c>, instrument <c>oauthdemo.tokens</c>),
/// tagged with what happened, the grant, the client and the token type.
/// </summary>
public sealed class TokenMetrics
{
    public const string MeterName = "OAuthDemo.AuthServer";

    private readonly Counter<long> _tokens;
    private readonly Counter<long> _keyEvents;

    public TokenMetrics(IMeterFactory meterFactory, TokenKeyRing keys, TimeProvider clock)
    {
        var meter = meterFactory.Create(MeterName);
        _tokens = meter.CreateCounter<long>("oauthdemo.tokens", unit: "{token}",
            description: "Tokens issued, refreshed, revoked or rejected by the authorization server.");
        _keyEvents = meter.CreateCounter<long>("oauthdemo.keys", unit: "{event}",
            description: "Token keys created, activated, retired or removed.");
        meter.CreateObservableGauge("oauthdemo.signing_key.age", () => keys.IsLoaded ? (clock.GetUtcNow() - keys.ActiveSigning.Timeline.ActivatesAt).TotalSeconds : 0,
            unit: "s", description: "How long the signing key in use has been signing.");
    }

    public void RecordKeyEvent(string keyEvent, string use) =>
        _keyEvents.Add(1, new KeyValuePair<string, object?>("event", keyEvent), new KeyValuePair<string, object?>("use", use));

    public void Record(string outcome, string? tokenType, string? grantType, string? clientId) =>
        _tokens.Add(1,
            new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("token_type", tokenType ?? "none"),
            new KeyValuePair<string, object?>("grant_type", grantType ?? "none"),
            new KeyValuePair<string, object?>("client_id", clientId ?? "unknown"));
}
