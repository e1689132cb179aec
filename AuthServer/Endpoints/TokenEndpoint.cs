using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OAuthDemo.AuthServer.Authorization;
using OAuthDemo.AuthServer.Data;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OAuthDemo.AuthServer.Endpoints;

/// <summary>
/// The token endpoint after OpenIddict has authenticated the client and validated the grant
/// (code + PKCE verifier, refresh token rotation and reuse, client permissions and scopes).
/// </summary>
internal static class TokenEndpoint
{
    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(ProtocolEndpoints.PathOf(ProtocolEndpoints.Token).Value!, ExchangeAsync).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ExchangeAsync(
        HttpContext http, TokenPrincipalFactory principals, UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        if (request.IsClientCredentialsGrantType())
        {
            // OpenIddict has checked the secret and that every requested scope is allowed for this client.
            var principal = principals.CreateForClient(request.ClientId!, request.GetScopes());
            return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var stored = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal
                ?? throw new InvalidOperationException("The code or refresh token principal cannot be retrieved.");

            // The grant may outlive the account or its right to sign in: check again on every use.
            var user = await users.FindByIdAsync(stored.GetClaim(Claims.Subject) ?? "");
            if (user is null)
                return OpenIddictErrors.Forbid(Errors.InvalidGrant, "The user of this grant no longer exists.");
            if (!await signIn.MayStillSignInAsync(user))
                return OpenIddictErrors.Forbid(Errors.InvalidGrant, "The user is no longer allowed to sign in.");

            var principal = TokenPrincipalFactory.RefreshUserClaims(stored, user);
            if (!principals.LimitRefreshTokenLifetime(principal, request.ClientId!, DateTimeOffset.UtcNow))
                return OpenIddictErrors.Forbid(Errors.InvalidGrant, "The sign-in this grant belongs to has reached its maximum lifetime; sign in again.");
            return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return OpenIddictErrors.Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }
}
