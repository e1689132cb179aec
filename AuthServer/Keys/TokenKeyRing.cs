using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace OAuthDemo.AuthServer.Keys;

/// <summary>The keys loaded from the database at start-up, handed to OpenIddict.</summary>
public sealed class TokenKeyRing
{
    private IReadOnlyList<SigningCredentials>? _signing;
    private IReadOnlyList<EncryptingCredentials>? _encryption;

    public IReadOnlyList<SigningCredentials> Signing =>
        _signing ?? throw new InvalidOperationException("Token keys are not loaded yet: InitializeAuthServerAsync() must run before the server handles requests.");

    public IReadOnlyList<EncryptingCredentials> Encryption =>
        _encryption ?? throw new InvalidOperationException("Token keys are not loaded yet: InitializeAuthServerAsync() must run before the server handles requests.");

    internal void Load(IReadOnlyList<SigningCredentials> signing, IReadOnlyList<EncryptingCredentials> encryption)
    {
        _signing = signing;
        _encryption = encryption;
    }
}

internal static class TokenKeyServiceExtensions
{
    /// <summary>
    /// Signing and encryption keys from authdb (created on first start), given to OpenIddict in
    /// place of development certificates.
    /// </summary>
    public static IServiceCollection AddTokenKeys(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TokenKeyRing>();
        services.AddScoped<TokenKeyStore>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, TokenKeyRingOptionsSetup>();
        return services;
    }

    private sealed class TokenKeyRingOptionsSetup(TokenKeyRing ring) : IConfigureOptions<OpenIddictServerOptions>
    {
        public void Configure(OpenIddictServerOptions options)
        {
            foreach (var credentials in ring.Signing)
                options.SigningCredentials.Add(credentials);
            foreach (var credentials in ring.Encryption)
                options.EncryptionCredentials.Add(credentials);
        }
    }
}
