using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace OAuthDemo.AuthServer.Authorization;

internal static class ProtocolHandlerRegistration
{
    public static OpenIddictServerBuilder AddProtocolHandlers(this OpenIddictServerBuilder options) => options
        // Just before OpenIddict's own scope permission checks, after the client is authenticated.
        .AddEventHandler<ValidateTokenRequestContext>(h => h
            .UseScopedHandler<ScopePermissionHandler>()
            .SetOrder(Exchange.ValidateScopePermissions.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom))
        .AddEventHandler<ValidateAuthorizationRequestContext>(h => h
            .UseScopedHandler<ScopePermissionHandler>()
            .SetOrder(Authentication.ValidateScopePermissions.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom))
        // Just before OpenIddict's check of the token entry, which ends the request when it refuses a reuse.
        .AddEventHandler<ValidateTokenContext>(h => h
            .UseScopedHandler<RevokeSignInOnReuseHandler>()
            .SetOrder(Protection.ValidateTokenEntry.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom))
        // Before the error is copied into the response.
        .AddEventHandler<ProcessErrorContext>(h => h
            .UseSingletonHandler<AuthorizationEndpointErrorHandler>()
            .SetOrder(AttachErrorParameters.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom))
        // Before OpenIddict's own normalization, which turns only invalid_token into active: false.
        .AddEventHandler<ApplyIntrospectionResponseContext>(h => h
            .UseSingletonHandler<IntrospectionResponseHandler>()
            .SetOrder(Introspection.NormalizeErrorResponse.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom));
}

/// <summary>
/// A known scope the client is not registered for is <c>invalid_scope</c> (RFC 6749 §4.1.2.1,
/// §5.2), not the generic <c>invalid_request</c> OpenIddict answers with. Runs after the client
/// has been authenticated, just before OpenIddict's own (identical) permission check.
/// </summary>
internal sealed class ScopePermissionHandler(IOpenIddictApplicationManager applications) :
    IOpenIddictServerHandler<ValidateTokenRequestContext>,
    IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
{
    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (await FindForbiddenScopeAsync(context.ClientId, context.Request) is { } scope)
            context.Reject(Errors.InvalidScope, $"This client is not allowed to request the scope '{scope}'.");
    }

    public async ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        if (await FindForbiddenScopeAsync(context.ClientId, context.Request) is { } scope)
            context.Reject(Errors.InvalidScope, $"This client is not allowed to request the scope '{scope}'.");
    }

    private async Task<string?> FindForbiddenScopeAsync(string? clientId, OpenIddictRequest request)
    {
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(request.Scope))
            return null;
        if (await applications.FindByClientIdAsync(clientId) is not { } application)
            return null;

        foreach (var scope in request.GetScopes())
        {
            // openid and offline_access are governed by the flow and grant permissions instead.
            if (scope is Scopes.OpenId or Scopes.OfflineAccess)
                continue;
            if (!await applications.HasPermissionAsync(application, Permissions.Prefixes.Scope + scope))
                return scope;
        }
        return null;
    }
}

/// <summary>
/// <c>invalid_token</c> is not an authorization endpoint error (RFC 6749 §4.1.2.1). A spent,
/// expired or unknown request_uri is <c>invalid_request_uri</c> (OpenID Connect Core §3.1.2.6,
/// registered for OAuth by IANA); any other unusable token there (an id_token_hint) is
/// <c>invalid_request</c>.
/// </summary>
internal sealed class AuthorizationEndpointErrorHandler : IOpenIddictServerHandler<ProcessErrorContext>
{
    public ValueTask HandleAsync(ProcessErrorContext context)
    {
        if (context.EndpointType is OpenIddictServerEndpointType.Authorization && context.Error is Errors.InvalidToken)
            context.Error = string.IsNullOrEmpty(context.Request?.RequestUri) ? Errors.InvalidRequest : Errors.InvalidRequestUri;
        return ValueTask.CompletedTask;
    }
}
