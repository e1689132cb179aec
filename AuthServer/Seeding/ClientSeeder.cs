using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OAuthDemo.AuthServer.Configuration;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OAuthDemo.AuthServer.Seeding;

/// <summary>Creates or updates one OpenIddict application per configured client.</summary>
internal sealed class ClientSeeder(IOpenIddictApplicationManager applications, IOptions<AuthServerSettings> settings, ILogger<ClientSeeder> logger)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        foreach (var (clientId, client) in settings.Value.Clients)
        {
            var descriptor = ToDescriptor(clientId, client);
            if (await applications.FindByClientIdAsync(clientId, ct) is { } existing)
            {
                await applications.UpdateAsync(existing, descriptor, ct);
                logger.LogInformation("Updated client {ClientId} ({ClientType})", clientId, descriptor.ClientType);
            }
            else
            {
                await applications.CreateAsync(descriptor, ct);
                logger.LogInformation("Created client {ClientId} ({ClientType})", clientId, descriptor.ClientType);
            }
        }
    }

    internal static OpenIddictApplicationDescriptor ToDescriptor(string clientId, ClientSettings client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = client.ClientSecret, // hashed by OpenIddict before it is stored
            ClientType = client.IsPublic ? ClientTypes.Public : ClientTypes.Confidential,
            ConsentType = client.ConsentType ?? ConsentTypes.Explicit,
            DisplayName = client.DisplayName ?? clientId,
            // private_key_jwt: only the public keys are stored; OpenIddict checks assertions against them.
            JsonWebKeySet = client.JsonWebKeySet is null ? null : JsonWebKeySet.Create(client.JsonWebKeySet),
        };

        // Redirect URIs are compared exactly (RFC 9700 §2.1): no wildcards, no prefix matching.
        foreach (var uri in client.RedirectUris)
            descriptor.RedirectUris.Add(new Uri(uri, UriKind.Absolute));
        foreach (var uri in client.PostLogoutRedirectUris)
            descriptor.PostLogoutRedirectUris.Add(new Uri(uri, UriKind.Absolute));

        var grants = client.GrantTypes.ToHashSet(StringComparer.Ordinal);
        if (grants.Count > 0)
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Token);
            descriptor.Permissions.Add(Permissions.Endpoints.Revocation);
        }

        if (grants.Contains(GrantTypes.AuthorizationCode))
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Authorization);
            descriptor.Permissions.Add(Permissions.GrantTypes.AuthorizationCode);
            descriptor.Permissions.Add(Permissions.ResponseTypes.Code);
            // PKCE for every client, confidential ones included (RFC 9700 §2.1.1).
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            // Any code client may push its request (public ones unauthenticated, RFC 9126 §2);
            // those that must are refused a plain one.
            descriptor.Permissions.Add(Permissions.Endpoints.PushedAuthorization);
            if (client.RequirePushedAuthorization)
                descriptor.Requirements.Add(Requirements.Features.PushedAuthorizationRequests);
        }

        if (grants.Contains(GrantTypes.RefreshToken))
            descriptor.Permissions.Add(Permissions.GrantTypes.RefreshToken);
        if (grants.Contains(GrantTypes.ClientCredentials))
            descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
        if (client.PostLogoutRedirectUris.Count > 0)
            descriptor.Permissions.Add(Permissions.Endpoints.EndSession);
        if (client.Introspect)
            descriptor.Permissions.Add(Permissions.Endpoints.Introspection);

        if (client.AccessTokenLifetime is { } lifetime)
            descriptor.Settings[Settings.TokenLifetimes.AccessToken] = lifetime.ToString("c", CultureInfo.InvariantCulture);

        foreach (var scope in client.Scopes.Where(s => s != Scopes.OpenId))
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);

        return descriptor;
    }
}
