using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OAuthDemo.AuthServer.Authorization;
using OAuthDemo.AuthServer.Data;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OAuthDemo.AuthServer.Endpoints;

/// <summary>OpenID Connect userinfo: the user's claims, each only with the scope that releases it.</summary>
internal static class UserInfoEndpoint
{
    public static IEndpointRouteBuilder MapUserInfoEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapMethods(ProtocolEndpoints.PathOf(ProtocolEndpoints.UserInfo).Value!, [HttpMethods.Get, HttpMethods.Post], GetUserInfoAsync).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> GetUserInfoAsync(HttpContext http, UserManager<ApplicationUser> users)
    {
        // OpenIddict has already validated the bearer access token before this runs.
        var principal = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var user = principal is null ? null : await users.FindByIdAsync(principal.GetClaim(Claims.Subject) ?? "");
        if (principal is null || user is null)
            return OpenIddictErrors.Challenge(Errors.InvalidToken, "The access token does not belong to a user of this server.");

        var claims = new Dictionary<string, object?>(StringComparer.Ordinal) { [Claims.Subject] = user.Id };
        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.Name] = user.DisplayName ?? user.UserName;
            claims[Claims.PreferredUsername] = user.UserName;
        }
        if (principal.HasScope(Scopes.Email) && user.Email is not null)
        {
            claims[Claims.Email] = user.Email;
            claims[Claims.EmailVerified] = user.EmailConfirmed;
        }

        return Results.Json(claims);
    }
}
