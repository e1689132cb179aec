using System.Diagnostics.Metrics;

namespace OAuthDemo.AuthServer.Observability;

/// <summary>
/// Counts token events (meter <c>OAuthDemo.AuthServer</c>, instrument <c>oauthdemo.tokens</c>),
/// tagged with what happened, the grant, the client and the token type.
/// </summary>
public sealed class TokenMetrics
{
    public const string MeterName = "OAuthDemo.AuthServer";

    private readonly Counter<long> _tokens;

    public TokenMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _tokens = meter.CreateCounter<long>("oauthdemo.tokens", unit: "{token}",
            description: "Tokens issued, refreshed, revoked or rejected by the authorization server.");
    }

    public void Record(string outcome, string? tokenType, string? grantType, string? clientId) =>
        _tokens.Add(1,
            new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("token_type", tokenType ?? "none"),
            new KeyValuePair<string, object?>("grant_type", grantType ?? "none"),
            new KeyValuePair<string, object?>("client_id", clientId ?? "unknown"));
}
