using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OAuthDemo.AuthServer.Keys;

/// <summary>
/// Signs and encrypts each token with the key active now: access and ID tokens, which clients and
/// APIs validate, with the published RS256 key; codes and refresh tokens, which only this server
/// reads, with its HS256 key. OpenIddict would take the first of its credentials, but they also hold
/// published and retired keys (for the JWKS and for validation), and which key is active follows the
/// clock, not the list.
/// </summary>
internal sealed class ActiveKeyHandler(TokenKeyRing ring) : IOpenIddictServerHandler<GenerateTokenContext>
{
    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.SigningCredentials is not null)
            context.SigningCredentials = context.TokenType is TokenTypeIdentifiers.AccessToken or TokenTypeIdentifiers.IdentityToken
                ? ring.ActiveSigning.Credentials
                : ring.ActiveServerSigning.Credentials;
        if (context.EncryptionCredentials is not null)
            context.EncryptionCredentials = ring.ActiveEncryption.Credentials;
        return default;
    }
}
