using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace OAuthDemo.WebClient.Authentication;

/// <summary>New tokens from a refresh: the refresh token is absent when the server did not rotate it.</summary>
public sealed record RefreshedTokens(string AccessToken, string? RefreshToken, string? IdToken, int ExpiresIn, DateTimeOffset ExpiresAt);

/// <summary>What became of a refresh.</summary>
public abstract record RefreshOutcome;

/// <summary>New tokens; <paramref name="RedeemedHere"/> is false when another request or replica redeemed them.</summary>
public sealed record Refreshed(RefreshedTokens Tokens, bool RedeemedHere) : RefreshOutcome;

/// <summary>The auth server said no for good (revoked, replayed, expired, the user locked out): the session ends.</summary>
public sealed record Refused(string Error) : RefreshOutcome;

/// <summary>No answer that says either (the auth server is down, a timeout): the session keeps its tokens and tries again later.</summary>
public sealed record Unavailable(string Reason) : RefreshOutcome;

/// <summary>Told about every refresh this web client redeems; the flow inspector is one.</summary>
public interface IRefreshObserver
{
    Task RefreshedAsync(AuthenticationProperties session, string spentRefreshToken, RefreshedTokens tokens, CancellationToken ct);

    Task RefusedAsync(AuthenticationProperties session, string error, CancellationToken ct);
}

/// <summary>
/// Spends a session's refresh token at the auth server: redeems it for new tokens (token
/// endpoint), or revokes it at sign-out (RFC 7009). Refresh tokens rotate and a reused one revokes
/// the whole family, so callers make sure one session redeems once (<see cref="SessionRefresher"/>),
/// and the HTTP client never retries these requests.
/// </summary>
public sealed partial class RefreshTokenClient(
    IHttpClientFactory httpClients,
    IOptionsMonitor<OpenIdConnectOptions> oidc,
    TimeProvider clock,
    ILogger<RefreshTokenClient> logger)
{
    public const string HttpClientName = "oidc-token";

    /// <summary>
    /// Redeems the refresh token once (never retried: a second try could spend it twice). Only the
    /// auth server's definite "no" (<c>invalid_grant</c>, <c>invalid_client</c>) is a refusal, and
    /// an ID token in the answer that is not valid for this session (OpenID Connect Core §12.2).
    /// </summary>
    public async Task<RefreshOutcome> RedeemAsync(string refreshToken, string? sessionIdToken, CancellationToken ct)
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
            var body = response.Content.Headers.ContentType?.MediaType == "application/json"
                ? await response.Content.ReadFromJsonAsync<TokenEndpointResponse>(ct)
                : null;

            if (response.IsSuccessStatusCode && body?.AccessToken is not null)
            {
                if (body.IdToken is { } idToken && await IdTokenProblemAsync(idToken, sessionIdToken, options, configuration) is { } problem)
                {
                    LogInvalidIdToken(logger, problem);
                    return new Refused("invalid_id_token");
                }
                var expiresIn = body.ExpiresIn ?? 0;
                LogRefreshed(logger);
                return new Refreshed(new RefreshedTokens(body.AccessToken, body.RefreshToken, body.IdToken, expiresIn, clock.GetUtcNow().AddSeconds(expiresIn)), RedeemedHere: true);
            }
            if (body?.Error is "invalid_grant" or "invalid_client" or "unauthorized_client")
            {
                LogRefused(logger, body.Error, body.ErrorDescription);
                return new Refused(body.Error);
            }
            LogUnavailable(logger, $"HTTP {(int)response.StatusCode} {body?.Error}");
            return new Unavailable($"HTTP {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or OperationCanceledException or TimeoutException or Polly.ExecutionRejectedException)
        {
            // Whether the server spent the token is unknown: the next try finds out (a replay ends the session).
            LogUnavailable(logger, e.GetType().Name);
            return new Unavailable(e.GetType().Name);
        }
    }

    /// <summary>
    /// OpenID Connect Core §12.2: an ID token from a refresh is validated like the first one
    /// (signature against the JWKS, RS256, issuer, audience, lifetime) and names the same issuer,
    /// subject and audience as the session's.
    /// </summary>
    private static async Task<string?> IdTokenProblemAsync(string idToken, string? sessionIdToken, OpenIdConnectOptions options, OpenIdConnectConfiguration configuration)
    {
        var validation = options.TokenValidationParameters.Clone();
        validation.ValidIssuer = configuration.Issuer;
        validation.ValidAudience = options.ClientId;
        validation.IssuerSigningKeys = configuration.SigningKeys;
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, validation);
        if (!result.IsValid)
            return $"not valid ({result.Exception?.GetType().Name})";
        if (sessionIdToken is null)
            return null;

        var renewed = (JsonWebToken)result.SecurityToken;
        var original = new JsonWebToken(sessionIdToken);
        return renewed.Subject != original.Subject ? "another subject"
            : renewed.Issuer != original.Issuer ? "another issuer"
            : !renewed.Audiences.Order().SequenceEqual(original.Audiences.Order()) ? "another audience"
            : null;
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

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "The refresh answered with an ID token that does not belong to this session ({Problem}); signing the user out")]
    private static partial void LogInvalidIdToken(ILogger logger, string problem);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Refreshed the session's access token")]
    private static partial void LogRefreshed(ILogger logger);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "The auth server refused the refresh: {Error} ({ErrorDescription}); signing the user out")]
    private static partial void LogRefused(ILogger logger, string error, string? errorDescription);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "The refresh got no usable answer ({Reason}); the session keeps its tokens and tries again later")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Revoked the session's refresh token at sign-out (HTTP {Status})")]
    private static partial void LogRevoked(ILogger logger, int status);
}
