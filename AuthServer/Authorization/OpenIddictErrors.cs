using Microsoft.AspNetCore.Authentication;
using OpenIddict.Server.AspNetCore;

namespace OAuthDemo.AuthServer.Authorization;

/// <summary>Properties that make OpenIddict answer with a specific OAuth error code.</summary>
internal static class OpenIddictErrors
{
    public static AuthenticationProperties Properties(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });

    public static IResult Forbid(string error, string description) =>
        Results.Forbid(Properties(error, description), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    public static IResult Challenge(string error, string description) =>
        Results.Challenge(Properties(error, description), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
