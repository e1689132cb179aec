using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OAuthDemo.AuthServer.Authorization;

/// <summary>
/// A refresh token (or code) presented again after it was used means that sign-in is compromised
/// (RFC 9700 §4.14.2). OpenIddict then revokes the tokens of that sign-in that are stored so far;
/// this also revokes the sign-in itself, its ad-hoc authorization, so that a token of it still
/// being stored at that moment, and any later use, is refused too. The user's consent is a separate,
/// permanent authorization and stays: signing in again works.
/// Runs just before OpenIddict's own check of the token entry, which ends the request when it refuses.
/// </summary>
internal sealed class RevokeSignInOnReuseHandler(
    IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations,
    IOptionsMonitor<OpenIddictServerOptions> options,
    TimeProvider clock) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (string.IsNullOrEmpty(context.TokenId) || string.IsNullOrEmpty(context.AuthorizationId) || context.Principal is not { } principal)
            return;
        var isRefreshToken = principal.HasTokenType(TokenTypeIdentifiers.RefreshToken);
        if (!isRefreshToken && !principal.HasTokenType(TokenTypeIdentifiers.Private.AuthorizationCode))
            return;

        // Found once per request: OpenIddict's own check reads it from the request's cache.
        if (await tokens.FindByIdAsync(context.TokenId) is not { } token || !await tokens.HasStatusAsync(token, Statuses.Redeemed))
            return;

        // Within the refresh token reuse leeway (zero by default) OpenIddict accepts the reuse.
        if (isRefreshToken && await tokens.GetRedemptionDateAsync(token) is { } redeemedAt
            && redeemedAt + options.CurrentValue.RefreshTokenReuseLeeway >= clock.GetUtcNow())
            return;

        if (await authorizations.FindByIdAsync(context.AuthorizationId) is { } authorization
            && await authorizations.HasTypeAsync(authorization, AuthorizationTypes.AdHoc))
            await authorizations.TryRevokeAsync(authorization);
    }
}
