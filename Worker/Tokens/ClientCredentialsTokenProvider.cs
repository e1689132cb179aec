using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace OAuthDemo.Worker.Tokens;

/// <summary>
/// Gets access tokens with the client credentials grant and keeps one until shortly before it
/// expires: one token request per token lifetime, not one per API call. Under concurrency only
/// one caller fetches; the others wait for its token (no thundering herd).
/// </summary>
public sealed partial class ClientCredentialsTokenProvider(
    IHttpClientFactory httpClients, ClientAssertions assertions, IOptions<WorkerSettings> options, TimeProvider clock,
    ILogger<ClientCredentialsTokenProvider> logger) : IDisposable
{
    public const string HttpClientName = "authserver";

    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private volatile CachedToken? _current;
    private DiscoveryDocument? _server;

    private sealed record CachedToken(string Value, DateTimeOffset RenewAt);

    public async ValueTask<string> GetTokenAsync(CancellationToken ct)
    {
        if (_current is { } cached && clock.GetUtcNow() < cached.RenewAt)
            return cached.Value;

        await _refreshGate.WaitAsync(ct);
        try
        {
            // Whoever waited while another caller refreshed gets that caller's token.
            if (_current is { } fresh && clock.GetUtcNow() < fresh.RenewAt)
                return fresh.Value;

            _current = await RequestTokenAsync(ct);
            return _current.Value;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Drops the token if it is still the cached one (the API refused it).</summary>
    public void Invalidate(string token)
    {
        if (_current?.Value == token)
        {
            _current = null;
            LogInvalidated(logger);
        }
    }

    private async Task<CachedToken> RequestTokenAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var http = httpClients.CreateClient(HttpClientName);
        var server = _server ??= await DiscoverAsync(http, ct);

        // private_key_jwt: a fresh signed assertion in place of a secret (RFC 7521 §4.2, RFC 7523 §2.2).
        using var request = new HttpRequestMessage(HttpMethod.Post, server.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "client_credentials"),
                new("scope", settings.Scope),
                new("client_assertion_type", ClientAssertions.AssertionType),
                new("client_assertion", assertions.Create(server.Issuer!)),
            ]),
        };

        var requestedAt = clock.GetUtcNow();
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadFromJsonAsync<TokenEndpointResponse>(ct);
        if (!response.IsSuccessStatusCode || body?.AccessToken is null)
            throw new TokenRequestException(body?.Error ?? $"HTTP {(int)response.StatusCode}", body?.ErrorDescription);

        var lifetime = TimeSpan.FromSeconds(body.ExpiresIn ?? 60);
        // Renew a little before expiry so a token never expires on its way to the API: a fifth
        // of the lifetime, at most a minute.
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, lifetime.Ticks / 5));
        LogFetched(logger, settings.ClientId, settings.Scope, (int)lifetime.TotalSeconds);
        return new CachedToken(body.AccessToken, requestedAt + lifetime - margin);
    }

    private static async Task<DiscoveryDocument> DiscoverAsync(HttpClient http, CancellationToken ct)
    {
        var discovery = await http.GetFromJsonAsync<DiscoveryDocument>(".well-known/openid-configuration", ct);
        return discovery is { TokenEndpoint: not null, Issuer: not null }
            ? discovery
            : throw new TokenRequestException("discovery_failed", "The discovery document has no issuer or token_endpoint.");
    }

    public void Dispose() => _refreshGate.Dispose();

    private sealed record DiscoveryDocument(
        [property: JsonPropertyName("issuer")] string? Issuer,
        [property: JsonPropertyName("token_endpoint")] string? TokenEndpoint);

    private sealed record TokenEndpointResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Fetched an access token for client {ClientId}, scope {Scope}, valid {LifetimeSeconds} s")]
    private static partial void LogFetched(ILogger logger, string clientId, string scope, int lifetimeSeconds);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "The API refused the cached access token; fetching a new one")]
    private static partial void LogInvalidated(ILogger logger);
}

/// <summary>The token endpoint said no, with an RFC 6749 error code.</summary>
public sealed class TokenRequestException(string error, string? description)
    : Exception($"The token request failed: {error}{(description is null ? "" : $" ({description})")}")
{
    public string Error { get; } = error;
}
