using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace OAuthDemo.AuthServer.Keys;

internal static class TokenKeyServiceExtensions
{
    /// <summary>
    /// Signing and encryption keys from authdb, rotating on a schedule (AuthServer:Keys), given to
    /// OpenIddict in place of development certificates and followed without a restart.
    /// </summary>
    public static IServiceCollection AddTokenKeys(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TokenKeyRing>();
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(sp => sp.GetRequiredService<TokenKeyRing>());
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, TokenKeyRingOptionsSetup>();
        services.AddSingleton<KeyMaterialCache>();
        services.AddScoped<TokenKeyStore>();
        services.AddHostedService<TokenKeyRotation>();
        return services;
    }

    /// <summary>Right after OpenIddict attaches its credentials to a token being generated.</summary>
    public static OpenIddictServerBuilder AddActiveKeySelection(this OpenIddictServerBuilder options) =>
        options.AddEventHandler<GenerateTokenContext>(h => h
            .UseSingletonHandler<ActiveKeyHandler>()
            .SetOrder(Protection.AttachSecurityCredentials.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom));
}
