using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace OAuthDemo.WebClient.Authentication;

/// <summary>New tokens from a refresh: the refresh token is absent when the server did not rotate it.</summary>
public sealed record RefreshedTokens(string AccessToken, string? RefreshToken, string? IdToken, int ExpiresIn, DateTimeOffset ExpiresAt);

/// <summary>Told about every refresh the web client makes; the flow inspector is one.</summary>
public interface IRefreshObserver
{
    Task RefreshedAsync(AuthenticationProperties session, string spentRefreshToken, RefreshedTokens tokens, CancellationToken ct);

    Task RefusedAsync(AuthenticationProperties session, string error, CancellationToken ct);
}

/// <summary>
/// Spends a session's refresh token at the auth server: redeems it for new tokens (token
/// endpoint), or revokes it at sign-out (RFC 7009). Refresh tokens rotate and a reused one revokes
/// the whole family, so callers make sure one session redeems once (<see cref="SessionTicketStore"/>),
/// and the HTTP client never retries these requests.
/// </summary>
public sealed partial class RefreshTokenClient(
    IHttpClientFactory httpClients,
    IOptionsMonitor<OpenIdConnectOptions> oidc,
    IEnumerable<IRefreshObserver> observers,
    TimeProvider clock,
    ILogger<RefreshTokenClient> logger)
{
    public const string HttpClientName = "oidc-token";

    /// <summary>New tokens for the session, or null when the auth server refused the refresh token.</summary>
    public async Task<RefreshedTokens?> RedeemAsync(string refreshToken, AuthenticationProperties session, CancellationToken ct)
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
        var body = await response.Content.ReadFromJsonAsync<TokenEndpointResponse>(ct);

        if (!response.IsSuccessStatusCode || body?.AccessToken is null)
        {
            var error = body?.Error ?? $"HTTP {(int)response.StatusCode}";
            LogRefused(logger, error, body?.ErrorDescription);
            foreach (var observer in observers)
                await observer.RefusedAsync(session, error, ct);
            return null;
        }

        var expiresIn = body.ExpiresIn ?? 0;
        var tokens = new RefreshedTokens(body.AccessToken, body.RefreshToken, body.IdToken, expiresIn, clock.GetUtcNow().AddSeconds(expiresIn));
        LogRefreshed(logger);
        foreach (var observer in observers)
            await observer.RefreshedAsync(session, refreshToken, tokens, ct);
        return tokens;
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
            LogRevoked(logger, (int)response.StatusCode);
        }
    }

    private sealed record TokenEndpointResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("id_token")] string? IdToken,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Refreshed the session's access token")]
    private static partial void LogRefreshed(ILogger logger);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "The auth server refused the refresh: {Error} ({ErrorDescription}); signing the user out")]
    private static partial void LogRefused(ILogger logger, string error, string? errorDescription);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Revoked the session's refresh token at sign-out (HTTP {Status})")]
    private static partial void LogRevoked(ILogger logger, int status);
}
