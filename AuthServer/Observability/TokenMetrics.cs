using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OAuthDemo.AuthServer.Configuration;
using OAuthDemo.AuthServer.Keys;

namespace OAuthDemo.AuthServer.Observability;

/// <summary>
/// Counts token events (meter <c>OAuthDemo.AuthServer</c>, instrument <c>oauthdemo.tokens</c>),
/// tagged with what happened, the grant, the client and the token type.
/// </summary>
public sealed class TokenMetrics
{
    /// <summary>The tag of a client id or grant type that is not configured here.</summary>
    public const string Unregistered = "unregistered";

    public const string MeterName = "OAuthDemo.AuthServer";

    private readonly Counter<long> _tokens;
    private readonly Counter<long> _keyEvents;
    private readonly IOptionsMonitor<AuthServerSettings> _settings;

    public TokenMetrics(IMeterFactory meterFactory, TokenKeyRing keys, IOptionsMonitor<AuthServerSettings> settings, TimeProvider clock)
    {
        _settings = settings;
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
            new KeyValuePair<string, object?>("grant_type", GrantTag(grantType)),
            new KeyValuePair<string, object?>("client_id", ClientTag(clientId, _settings.CurrentValue.Clients)));

    // Rejected requests are unauthenticated: whatever a caller puts in client_id or grant_type
    // must not become a new time series, or anyone could grow the metrics store without limit.
    public static string ClientTag(string? clientId, IReadOnlyDictionary<string, ClientSettings> registered) =>
        clientId is null ? "none" : registered.ContainsKey(clientId) ? clientId : Unregistered;

    public static string GrantTag(string? grantType) =>
        grantType is null ? "none" : AuthServerSettingsValidator.SupportedGrantTypes.Contains(grantType) ? grantType : Unregistered;
}
