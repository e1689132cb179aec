using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace OAuthDemo.ResourceApi.Authentication;

/// <summary>
/// A token that names a key this API has not seen yet: JwtBearer refuses it and refreshes its keys
/// in the background, so a key the auth server has just started signing with (rotated "now", or
/// before this API's hourly refresh) would fail its first tokens. Instead the keys are fetched at
/// once and the token is validated again against them, with the same parameters. The fetch happens
/// at most once per <c>Authentication:KeyRefreshInterval</c>, so tokens with forged kids cannot make
/// the API hammer the auth server; a forged token still fails, now against the fresh keys.
/// </summary>
internal sealed class NewSigningKeyRetry(TimeSpan minimumInterval, TimeProvider clock)
{
    private static readonly TimeSpan FetchLimit = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;
    private OpenIdConnectConfiguration? _fetched;

    public async Task OnAuthenticationFailedAsync(AuthenticationFailedContext context)
    {
        if (context.Exception is not SecurityTokenSignatureKeyNotFoundException
            || context.Request.Headers.Authorization.ToString() is not { } header
            || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || await FreshConfigurationAsync(context.Options, context.HttpContext.RequestAborted) is not { } configuration)
            return;

        var parameters = context.Options.TokenValidationParameters.Clone();
        parameters.ConfigurationManager = null;
        parameters.ValidIssuer = configuration.Issuer;
        parameters.IssuerSigningKeys = configuration.SigningKeys;

        var result = await new JsonWebTokenHandler { MapInboundClaims = context.Options.MapInboundClaims }
            .ValidateTokenAsync(header["Bearer ".Length..].Trim(), parameters);
        if (!result.IsValid)
            return;

        context.Principal = new ClaimsPrincipal(result.ClaimsIdentity);
        context.Success();
        context.Options.ConfigurationManager?.RequestRefresh(); // JwtBearer's own copy catches up too
    }

    private async Task<OpenIdConnectConfiguration?> FreshConfigurationAsync(JwtBearerOptions options, CancellationToken requestAborted)
    {
        try
        {
            // One fetch at a time: requests that wait then share its result.
            await _gate.WaitAsync(requestAborted);
        }
        catch (OperationCanceledException)
        {
            return null; // the caller left; the token stays refused
        }

        try
        {
            if (clock.GetUtcNow() - _fetchedAt < minimumInterval)
                return _fetched;
            _fetchedAt = clock.GetUtcNow();
            // Its own time limit, not the request's: a caller that leaves must not waste the fetch for the others.
            using var limit = new CancellationTokenSource(FetchLimit);
            var metadata = options.MetadataAddress ?? $"{options.Authority!.TrimEnd('/')}/.well-known/openid-configuration";
            _fetched = await OpenIdConnectConfigurationRetriever.GetAsync(metadata, new HttpDocumentRetriever(options.Backchannel) { RequireHttps = options.RequireHttpsMetadata }, limit.Token);
            return _fetched;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidOperationException or OperationCanceledException)
        {
            return null; // the auth server cannot be reached: the token stays refused
        }
        finally
        {
            _gate.Release();
        }
    }
}
