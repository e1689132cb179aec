using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Extensions.Options;
using OAuthDemo.AuthServer.Configuration;
using OAuthDemo.AuthServer.Data;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OAuthDemo.AuthServer.Authorization;

/// <summary>
/// Builds the principals OpenIddict turns into tokens, for users and for machine clients, and
/// decides which claim goes into which token.
/// </summary>
internal sealed class TokenPrincipalFactory(IOptions<AuthServerSettings> settings)
{
    /// <summary>A new principal for a user who has just authorized a client.</summary>
    public ClaimsPrincipal CreateForUser(ApplicationUser user, IEnumerable<string> grantedScopes, DateTimeOffset? authenticatedAt)
    {
        var principal = CreateWithScopes(grantedScopes);
        if (authenticatedAt is { } at)
            principal.SetClaim(Claims.AuthenticationTime, at.ToUnixTimeSeconds());

        return RefreshUserClaims(principal, user);
    }

    /// <summary>
    /// Re-reads the user's claims into a principal from a code or refresh token. The principal is
    /// kept (not rebuilt) so its authorization id, and so its token family, carries over.
    /// </summary>
    public static ClaimsPrincipal RefreshUserClaims(ClaimsPrincipal principal, ApplicationUser user)
    {
        principal.SetClaim(Claims.Subject, user.Id)
                 .SetClaim(Claims.Name, user.DisplayName ?? user.UserName)
                 .SetClaim(Claims.PreferredUsername, user.UserName)
                 .SetClaim(Claims.Email, user.Email)
                 .SetClaim(Claims.EmailVerified, user.Email is null ? null : user.EmailConfirmed);
        principal.SetDestinations(GetDestinations);
        return principal;
    }

    /// <summary>
    /// Caps the next refresh token's life so that none outlives the password sign-in that started
    /// its family by more than RefreshTokenMaxLifetime (RFC 9700 §4.14.2), however often it rotates.
    /// False when that moment has passed: the user must sign in again.
    /// </summary>
    public bool LimitRefreshTokenLifetime(ClaimsPrincipal principal, string clientId, DateTimeOffset now)
    {
        var configured = settings.Value;
        var maxLifetime = configured.Clients.TryGetValue(clientId, out var client) && client.RefreshTokenMaxLifetime is { } own
            ? own : configured.RefreshTokenMaxLifetime;
        // auth_time is the password sign-in (set at login); a grant without it counts from its own creation.
        var signedInAt = AuthenticatedAt(principal) ?? principal.GetCreationDate() ?? now;
        var remaining = signedInAt + maxLifetime - now;
        if (remaining <= TimeSpan.Zero)
            return false;
        // Null: the sliding AuthServer:RefreshTokenLifetime, unless the absolute limit comes first.
        principal.SetRefreshTokenLifetime(remaining < configured.RefreshTokenLifetime ? remaining : null);
        return true;
    }

    /// <summary>When the user entered their password (the auth_time claim, OIDC Core §2).</summary>
    public static DateTimeOffset? AuthenticatedAt(ClaimsPrincipal principal) =>
        long.TryParse(principal.GetClaim(Claims.AuthenticationTime), out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>A principal for a machine client (client credentials): the client is its own subject.</summary>
    public ClaimsPrincipal CreateForClient(string clientId, IEnumerable<string> grantedScopes)
    {
        var principal = CreateWithScopes(grantedScopes);
        principal.SetClaim(Claims.Subject, clientId);
        principal.SetDestinations(GetDestinations);
        return principal;
    }

    private ClaimsPrincipal CreateWithScopes(IEnumerable<string> grantedScopes)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role));
        principal.SetScopes(grantedScopes);
        // The audience comes from the scopes (notes.read → resource-api), read from the same
        // configuration ScopeSeeder copies into authdb: the tokens and the seeded scopes cannot
        // disagree, and issuing a token costs no query for it.
        var scopes = settings.Value.Scopes;
        principal.SetResources(principal.GetScopes()
            .SelectMany(scope => scopes.TryGetValue(scope, out var configured) ? configured.Resources : [])
            .Distinct(StringComparer.Ordinal));
        return principal;
    }

    // Access tokens stay small and carry no personal data beyond sub (RFC 9068 §2.2.2 leaves the
    // rest optional); names and email go to the ID token and userinfo, and only with their scope.
    private static IEnumerable<string> GetDestinations(Claim claim) => claim.Type switch
    {
        Claims.Subject => [Destinations.AccessToken, Destinations.IdentityToken],
        Claims.AuthenticationTime => [Destinations.IdentityToken],
        Claims.Name or Claims.PreferredUsername when claim.Subject?.HasScope(Scopes.Profile) == true => [Destinations.IdentityToken],
        Claims.Email or Claims.EmailVerified when claim.Subject?.HasScope(Scopes.Email) == true => [Destinations.IdentityToken],
        _ => [],
    };
}
