using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using OAuthDemo.WebClient.Flow;

namespace OAuthDemo.WebClient.Authentication;

/// <summary>
/// Renews the session's access token with its refresh token shortly before it expires. Refresh
/// tokens rotate and a reused one revokes the whole family, so concurrent requests of one
/// session must share one refresh: they await the same task. A refused refresh (revoked,
/// replayed, expired) signs the user out.
/// </summary>
public sealed partial class TokenRefresher(
    IHttpClientFactory httpClients,
    IOptionsMonitor<OpenIdConnectOptions> oidc,
    IOptions<WebClientSettings> settings,
    FlowJournal journal,
    TokenInspector inspector,
    TimeProvider clock,
    ILogger<TokenRefresher> logger)
{
    public const string HttpClientName = "oidc-token";

    // In-flight and just-finished refreshes, keyed by the refresh token they spend.
    private readonly ConcurrentDictionary<string, Lazy<Task<RefreshResult?>>> _refreshes = new(StringComparer.Ordinal);

    public sealed record RefreshResult(string AccessToken, string? RefreshToken, string? IdToken, DateTimeOffset ExpiresAt);

    public async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var properties = context.Properties;
        if (!DateTimeOffset.TryParse(properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiresAt)
            || expiresAt - clock.GetUtcNow() > settings.Value.RefreshBeforeExpiry)
            return;

        var refreshToken = properties.GetTokenValue("refresh_token");
        var result = refreshToken is null ? null : await _refreshes.GetOrAdd(refreshToken,
            token => new Lazy<Task<RefreshResult?>>(() => RefreshAsync(token, properties, context.HttpContext.RequestAborted))).Value;
        if (result is null)
        {
            // The grant is gone: end the session instead of failing every API call.
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        properties.UpdateTokenValue("access_token", result.AccessToken);
        if (result.RefreshToken is not null)
            properties.UpdateTokenValue("refresh_token", result.RefreshToken);
        if (result.IdToken is not null)
            properties.UpdateTokenValue("id_token", result.IdToken);
        properties.UpdateTokenValue("expires_at", result.ExpiresAt.ToString("o", CultureInfo.InvariantCulture));
        context.ShouldRenew = true;
    }

    private async Task<RefreshResult?> RefreshAsync(string refreshToken, AuthenticationProperties properties, CancellationToken ct)
    {
        try
        {
            var options = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(ct);
            using var response = await httpClients.CreateClient(HttpClientName).PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(
            [
                new("grant_type", "refresh_token"),
                new("refresh_token", refreshToken),
                new("client_id", options.ClientId!),
                new("client_secret", options.ClientSecret!),
            ]), ct);
            var body = await response.Content.ReadFromJsonAsync<TokenResponse>(ct);

            var flowId = properties.Items.TryGetValue(FlowJournal.PropertyKey, out var id) ? id : null;
            if (!response.IsSuccessStatusCode || body?.AccessToken is null)
            {
                LogRefused(logger, body?.Error, body?.ErrorDescription);
                journal.Record(flowId, "Refresh refused",
                    "The auth server refused the refresh token (revoked, expired, or replayed), so this session ends and the user signs in again.",
                    [KeyValuePair.Create("error", body?.Error ?? $"HTTP {(int)response.StatusCode}")]);
                return null;
            }

            var result = new RefreshResult(body.AccessToken, body.RefreshToken, body.IdToken, clock.GetUtcNow().AddSeconds(body.ExpiresIn ?? 0));
            LogRefreshed(logger, TokenInspector.Fingerprint(refreshToken), TokenInspector.Fingerprint(body.RefreshToken));
            journal.Record(flowId, "Refresh",
                "The access token was about to expire, so the server-side client spent its refresh token for a new one. Refresh tokens rotate: the old one is now dead, and presenting it again would revoke the whole family.",
                [
                    KeyValuePair.Create("grant_type", "refresh_token"),
                    KeyValuePair.Create("old refresh token", TokenInspector.Fingerprint(refreshToken)),
                    KeyValuePair.Create("new refresh token", TokenInspector.Fingerprint(body.RefreshToken)),
                    KeyValuePair.Create("expires_in", (body.ExpiresIn ?? 0).ToString(CultureInfo.InvariantCulture)),
                ],
                tokens: [await inspector.DecodeAsync("New access token", body.AccessToken, "resource-api", ct)]);
            return result;
        }
        finally
        {
            // Late requests that still carry the old token reuse this result for a short while.
            _ = Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None).ContinueWith(_ => _refreshes.TryRemove(refreshToken, out Lazy<Task<RefreshResult?>>? _), TaskScheduler.Default);
        }
    }

    /// <summary>RFC 7009: tells the auth server the refresh token (and its family) is no longer needed.</summary>
    public async Task RevokeAsync(string refreshToken, CancellationToken ct)
    {
        var options = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
        var configuration = await options.ConfigurationManager!.GetConfigurationAsync(ct);
        if (configuration.AdditionalData.TryGetValue("revocation_endpoint", out var endpoint) && endpoint is string revocationEndpoint)
        {
            using var response = await httpClients.CreateClient(HttpClientName).PostAsync(revocationEndpoint, new FormUrlEncodedContent(
            [
                new("token", refreshToken),
                new("token_type_hint", "refresh_token"),
                new("client_id", options.ClientId!),
                new("client_secret", options.ClientSecret!),
            ]), ct);
            LogRevoked(logger, TokenInspector.Fingerprint(refreshToken), (int)response.StatusCode);
        }
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("id_token")] string? IdToken,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Refreshed the access token: refresh token {OldRefreshToken} -> {NewRefreshToken}")]
    private static partial void LogRefreshed(ILogger logger, string oldRefreshToken, string newRefreshToken);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Revoked refresh token {RefreshToken} at sign-out (HTTP {Status})")]
    private static partial void LogRevoked(ILogger logger, string refreshToken, int status);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "The auth server refused the refresh: {Error} ({ErrorDescription}); signing the user out")]
    private static partial void LogRefused(ILogger logger, string? error, string? errorDescription);
}
