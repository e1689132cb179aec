using System.Security.Claims;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OAuthDemo.AuthServer.Observability;

internal static class TokenEventHandlerRegistration
{
    // Each runs once OpenIddict knows the outcome (tokens generated, token revoked, error set) but
    // before the response is written, which ends the chain.
    public static OpenIddictServerBuilder AddTokenEventHandlers(this OpenIddictServerBuilder options) => options
        .AddEventHandler<ProcessSignInContext>(h => h.UseSingletonHandler<TokenEventHandlers>()
            .SetOrder(OpenIddictServerHandlers.AttachSignInParameters.Descriptor.Order + 1_000).SetType(OpenIddictServerHandlerType.Custom))
        .AddEventHandler<HandleRevocationRequestContext>(h => h.UseSingletonHandler<TokenEventHandlers>()
            .SetOrder(OpenIddictServerHandlers.Revocation.RevokeToken.Descriptor.Order + 1_000).SetType(OpenIddictServerHandlerType.Custom))
        .AddRejectionLogging<ApplyAuthorizationResponseContext>()
        .AddRejectionLogging<ApplyTokenResponseContext>()
        .AddRejectionLogging<ApplyIntrospectionResponseContext>()
        .AddRejectionLogging<ApplyRevocationResponseContext>()
        .AddRejectionLogging<ApplyUserInfoResponseContext>()
        .AddRejectionLogging<ApplyEndSessionResponseContext>();

    // Errors are logged as they go on the wire: after OpenIddict normalizes them (an internal
    // invalid_token becomes invalid_grant at the token endpoint), just before ASP.NET Core writes them.
    private static OpenIddictServerBuilder AddRejectionLogging<TContext>(this OpenIddictServerBuilder options) where TContext : BaseRequestContext =>
        options.AddEventHandler<TContext>(h => h.UseSingletonHandler<RejectionLogHandler<TContext>>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<TContext>.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom));
}

/// <summary>
/// One structured log event and one metric per token issued, refreshed, revoked or rejected.
/// Ids only (client, subject, token id): a token value is a credential and never logged.
/// </summary>
internal sealed partial class TokenEventHandlers(ILogger<TokenEventHandlers> logger, TokenMetrics metrics) :
    IOpenIddictServerHandler<ProcessSignInContext>,
    IOpenIddictServerHandler<HandleRevocationRequestContext>
{
    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.IsRejected)
            return default;

        var grantType = context.Request.GrantType ?? (context.EndpointType == OpenIddictServerEndpointType.Authorization ? "authorization_request" : null);
        var outcome = context.Request.IsRefreshTokenGrantType() ? "refreshed" : "issued";
        var clientId = context.Request.ClientId;

        Report(TokenTypeIdentifiers.Private.AuthorizationCode, context.AuthorizationCodePrincipal, context.AuthorizationCode);
        Report(TokenTypeIdentifiers.AccessToken, context.AccessTokenPrincipal, context.AccessToken);
        Report(TokenTypeIdentifiers.RefreshToken, context.RefreshTokenPrincipal, context.RefreshToken);
        Report(TokenTypeIdentifiers.IdentityToken, context.IdentityTokenPrincipal, context.IdentityToken);
        return default;

        void Report(string tokenType, ClaimsPrincipal? principal, string? token)
        {
            if (principal is null || token is null)
                return;
            LogIssued(logger, outcome, ShortName(tokenType), clientId, principal.GetClaim(Claims.Subject), grantType,
                string.Join(' ', principal.GetScopes()), principal.GetTokenId() ?? principal.GetClaim(Claims.JwtId), principal.GetAuthorizationId());
            metrics.Record(outcome, ShortName(tokenType), grantType, clientId);
        }
    }

    public ValueTask HandleAsync(HandleRevocationRequestContext context)
    {
        if (context.IsRejected || context.GenericTokenPrincipal is not { } principal)
            return default;

        var tokenType = ShortName(principal.GetTokenType());
        LogRevoked(logger, tokenType, context.Request.ClientId, principal.GetClaim(Claims.Subject), principal.GetTokenId());
        metrics.Record("revoked", tokenType, grantType: null, context.Request.ClientId);
        return default;
    }

    private static string ShortName(string? tokenType) => tokenType switch
    {
        TokenTypeIdentifiers.AccessToken => "access_token",
        TokenTypeIdentifiers.RefreshToken => "refresh_token",
        TokenTypeIdentifiers.IdentityToken => "id_token",
        TokenTypeIdentifiers.Private.AuthorizationCode => "authorization_code",
        null => "unknown",
        _ => tokenType,
    };

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Token {Outcome}: {TokenType} for client {ClientId}, subject {Subject}, grant {GrantType}, scopes [{Scopes}], token id {TokenId}, authorization {AuthorizationId}")]
    private static partial void LogIssued(ILogger logger, string outcome, string tokenType, string? clientId, string? subject, string? grantType, string scopes, string? tokenId, string? authorizationId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "Token revoked: {TokenType} for client {ClientId}, subject {Subject}, token id {TokenId}")]
    private static partial void LogRevoked(ILogger logger, string tokenType, string? clientId, string? subject, string? tokenId);
}

/// <summary>One warning and one metric per refused request, with the error the client receives.</summary>
internal sealed partial class RejectionLogHandler<TContext>(ILogger<TokenEventHandlers> logger, TokenMetrics metrics) : IOpenIddictServerHandler<TContext>
    where TContext : BaseRequestContext
{
    public ValueTask HandleAsync(TContext context)
    {
        if (context.Transaction.Response?.Error is not { } error)
            return default;

        var request = context.Transaction.Request;
        var endpoint = context.EndpointType.ToString();
        LogRejected(logger, endpoint, error, context.Transaction.Response.ErrorDescription, request?.ClientId, request?.GrantType);
        metrics.Record("rejected", tokenType: null, request?.GrantType, request?.ClientId);
        return default;
    }

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "Request rejected at the {Endpoint} endpoint: {Error} ({ErrorDescription}) for client {ClientId}, grant {GrantType}")]
    private static partial void LogRejected(ILogger logger, string endpoint, string error, string? errorDescription, string? clientId, string? grantType);
}
