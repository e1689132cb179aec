using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OAuthDemo.AuthServer.Configuration;

/// <summary>
/// Rejects configuration that cannot work, naming the setting, so start-up stops with a message
/// instead of a client failing later in a way that is hard to trace.
/// </summary>
public sealed class AuthServerSettingsValidator : IValidateOptions<AuthServerSettings>
{
    /// <summary>Scopes every client may ask for without declaring them under AuthServer:Scopes.</summary>
    public static readonly IReadOnlySet<string> StandardScopes =
        new HashSet<string>(StringComparer.Ordinal) { Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess };

    public static readonly IReadOnlySet<string> SupportedGrantTypes =
        new HashSet<string>(StringComparer.Ordinal) { GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.ClientCredentials };

    /// <summary>
    /// Outside Development: the issuer is set and https, and redirect URIs are https, except
    /// http on the loopback interface, which native apps use (RFC 8252 §7.3; RFC 9700 §2.6).
    /// </summary>
    public bool RequireHttps { get; init; }

    public ValidateOptionsResult Validate(string? name, AuthServerSettings settings)
    {
        var errors = new List<string>();
        const string root = AuthServerSettings.SectionName;

        if (settings.Issuer is { } issuer &&
            (!Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri) || issuerUri.Scheme is not ("http" or "https")
             || !string.IsNullOrEmpty(issuerUri.Query) || !string.IsNullOrEmpty(issuerUri.Fragment)))
            errors.Add($"{root}:Issuer '{issuer}' must be an absolute http(s) URL without query or fragment.");
        if (RequireHttps && (settings.Issuer is null || !settings.Issuer.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
            errors.Add($"{root}:Issuer must be set to the https URL browsers use outside Development (it is '{settings.Issuer}').");

        if (settings.AccessTokenLifetime <= TimeSpan.Zero)
            errors.Add($"{root}:AccessTokenLifetime must be positive (it is {settings.AccessTokenLifetime}).");
        if (settings.RefreshTokenLifetime <= TimeSpan.Zero)
            errors.Add($"{root}:RefreshTokenLifetime must be positive (it is {settings.RefreshTokenLifetime}).");
        if (settings.RefreshTokenMaxLifetime <= TimeSpan.Zero)
            errors.Add($"{root}:RefreshTokenMaxLifetime must be positive (it is {settings.RefreshTokenMaxLifetime}).");
        if (settings.SignInLifetime < TimeSpan.FromSeconds(1))
            errors.Add($"{root}:SignInLifetime must be at least a second (it is {settings.SignInLifetime}).");
        if (settings.PushedRequestLifetime < TimeSpan.FromSeconds(5) || settings.PushedRequestLifetime > TimeSpan.FromMinutes(10))
            errors.Add($"{root}:PushedRequestLifetime must be between 5 seconds and 10 minutes (it is {settings.PushedRequestLifetime}; RFC 9126 §2.2).");
        if (settings.RefreshTokenReuseLeeway < TimeSpan.Zero)
            errors.Add($"{root}:RefreshTokenReuseLeeway must not be negative (it is {settings.RefreshTokenReuseLeeway}).");

        ValidateKeys(settings, errors);

        var attempts = settings.FailedAttempts;
        if (attempts.Window <= TimeSpan.Zero)
            errors.Add($"{root}:FailedAttempts:Window must be positive (it is {attempts.Window}).");
        foreach (var (setting, limit) in new[] { ("SignInsPerUserAndAddress", attempts.SignInsPerUserAndAddress), ("SignInsPerAddress", attempts.SignInsPerAddress),
                     ("ClientAuthenticationsPerClientAndAddress", attempts.ClientAuthenticationsPerClientAndAddress) })
        {
            if (limit < 1)
                errors.Add($"{root}:FailedAttempts:{setting} must be at least 1 (it is {limit}).");
        }

        foreach (var (scope, scopeSettings) in settings.Scopes)
        {
            if (StandardScopes.Contains(scope))
                errors.Add($"{root}:Scopes:{scope} is a standard OpenID Connect scope and is built in; remove it.");
            if (scopeSettings.Resources.Any(string.IsNullOrWhiteSpace))
                errors.Add($"{root}:Scopes:{scope}:Resources has an empty entry.");
        }

        foreach (var (clientId, client) in settings.Clients)
            ValidateClient($"{root}:Clients:{clientId}", client, settings, errors, RequireHttps);

        foreach (var (userName, user) in settings.Users)
        {
            if (string.IsNullOrWhiteSpace(user.Password))
                errors.Add($"{root}:Users:{userName}:Password is missing or empty.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateKeys(AuthServerSettings settings, List<string> errors)
    {
        const string key = $"{AuthServerSettings.SectionName}:Keys";
        var keys = settings.Keys;
        if (keys.RotationInterval <= TimeSpan.Zero)
            errors.Add($"{key}:RotationInterval must be positive (it is {keys.RotationInterval}).");
        if (keys.PrepublishPeriod <= TimeSpan.Zero)
            errors.Add($"{key}:PrepublishPeriod must be positive (it is {keys.PrepublishPeriod}): a key must be in the JWKS before it signs.");
        else if (keys.PrepublishPeriod >= keys.RotationInterval)
            errors.Add($"{key}:PrepublishPeriod ({keys.PrepublishPeriod}) must be shorter than {key}:RotationInterval ({keys.RotationInterval}).");

        // A retired key must stay in the JWKS until every access token it signed has expired.
        var longestAccessToken = settings.Clients.Values.Select(c => c.AccessTokenLifetime ?? TimeSpan.Zero).Append(settings.AccessTokenLifetime).Max();
        if (keys.RetirementPeriod < longestAccessToken)
            errors.Add($"{key}:RetirementPeriod ({keys.RetirementPeriod}) must be at least the longest access token lifetime ({longestAccessToken}): " +
                       "tokens signed by a retired key must still validate until they expire.");
    }

    private static void ValidateClient(string key, ClientSettings client, AuthServerSettings settings, List<string> errors, bool requireHttps)
    {
        if (client.ClientSecret is not null && string.IsNullOrWhiteSpace(client.ClientSecret))
            errors.Add($"{key}:ClientSecret is empty: a confidential client needs a secret (remove the key for a public client).");
        if (client.JsonWebKeySet is not null)
        {
            if (client.ClientSecret is not null)
                errors.Add($"{key} has both ClientSecret and JsonWebKeySet: a client authenticates one way; remove one.");
            if (ClientKeySetProblem(client.JsonWebKeySet) is { } problem)
                errors.Add($"{key}:JsonWebKeySet {problem}");
        }
        if (client.RequirePushedAuthorization && client.IsPublic)
            errors.Add($"{key}:RequirePushedAuthorization needs a confidential client: the push is authenticated (RFC 9126 §2.1).");

        for (var i = 0; i < client.GrantTypes.Count; i++)
        {
            var grant = client.GrantTypes[i];
            if (grant is GrantTypes.Implicit or GrantTypes.Password)
                errors.Add($"{key}:GrantTypes:{i} '{grant}' is not offered: the implicit and password grants are deprecated (RFC 9700 §2.1.2, §2.4).");
            else if (!SupportedGrantTypes.Contains(grant))
                errors.Add($"{key}:GrantTypes:{i} '{grant}' is unknown; use authorization_code, refresh_token or client_credentials.");
        }

        var grants = client.GrantTypes.ToHashSet(StringComparer.Ordinal);
        if (client.IsPublic && grants.Contains(GrantTypes.ClientCredentials))
            errors.Add($"{key}:GrantTypes asks for client_credentials, which needs a confidential client: set {key}:ClientSecret or {key}:JsonWebKeySet.");
        if (client.IsPublic && client.Introspect)
            errors.Add($"{key}:Introspect needs a confidential client: set {key}:ClientSecret or {key}:JsonWebKeySet.");
        if (client.RequirePushedAuthorization && !grants.Contains(GrantTypes.AuthorizationCode))
            errors.Add($"{key}:RequirePushedAuthorization is set, but only the authorization_code grant sends authorization requests.");
        if (grants.Contains(GrantTypes.AuthorizationCode) && client.RedirectUris.Count == 0)
            errors.Add($"{key}:RedirectUris is empty, but the authorization_code grant needs at least one.");
        if (grants.Contains(GrantTypes.RefreshToken) && !grants.Contains(GrantTypes.AuthorizationCode))
            errors.Add($"{key}:GrantTypes has refresh_token without authorization_code; nothing would issue the refresh token.");

        ValidateUris($"{key}:RedirectUris", client.RedirectUris, errors, requireHttps);
        ValidateUris($"{key}:PostLogoutRedirectUris", client.PostLogoutRedirectUris, errors, requireHttps);

        for (var i = 0; i < client.Scopes.Count; i++)
        {
            var scope = client.Scopes[i];
            if (!StandardScopes.Contains(scope) && !settings.Scopes.ContainsKey(scope))
                errors.Add($"{key}:Scopes:{i} '{scope}' is not a known scope: declare {AuthServerSettings.SectionName}:Scopes:{scope} or remove it.");
        }

        if (client.AccessTokenLifetime is { } lifetime && lifetime <= TimeSpan.Zero)
            errors.Add($"{key}:AccessTokenLifetime must be positive (it is {lifetime}).");
        if (client.RefreshTokenMaxLifetime is { } maxLifetime && maxLifetime <= TimeSpan.Zero)
            errors.Add($"{key}:RefreshTokenMaxLifetime must be positive (it is {maxLifetime}).");

        if (client.ConsentType is { } consent && consent is not (ConsentTypes.Explicit or ConsentTypes.Implicit))
            errors.Add($"{key}:ConsentType '{consent}' must be 'explicit' or 'implicit'.");
    }

    /// <summary>Why a client's JWKS cannot serve private_key_jwt, or null when it can.</summary>
    internal static string? ClientKeySetProblem(string json)
    {
        Microsoft.IdentityModel.Tokens.JsonWebKeySet keys;
        try
        {
            keys = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(json);
        }
        catch (ArgumentException)
        {
            return "is not a JSON Web Key Set (RFC 7517 §5).";
        }

        if (keys.Keys.Count == 0)
            return "has no keys.";
        foreach (var key in keys.Keys)
        {
            // Only public keys belong here: the private half stays with the client.
            if (key.HasPrivateKey || key.Kty is "oct" || new[] { key.D, key.P, key.Q, key.DP, key.DQ, key.QI, key.K }.Any(v => !string.IsNullOrEmpty(v)))
                return "holds a private or symmetric key; register only the public key.";
            if (key.Use is { Length: > 0 } use && use != "sig")
                return $"has a key with use '{use}'; client assertions need signing keys (use 'sig').";
            // The algorithms accepted for assertions (ES256, PS256, RS256) need P-256 or RSA of 2048 bits or more.
            if (key.Kty is "EC" && key.Crv is not "P-256")
                return $"has an EC key on '{key.Crv}'; only P-256 (ES256) is accepted.";
            if (key.Kty is "RSA" && (string.IsNullOrEmpty(key.N) || Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(key.N).Length * 8 < 2048))
                return "has an RSA key shorter than 2048 bits.";
            if (key.Kty is not ("EC" or "RSA"))
                return "has a key that is neither EC nor RSA.";
        }
        return null;
    }

    private static void ValidateUris(string key, List<string> uris, List<string> errors, bool requireHttps)
    {
        for (var i = 0; i < uris.Count; i++)
        {
            // RFC 6749 §3.1.2: the redirection endpoint URI must be absolute and must not have a fragment.
            if (!Uri.TryCreate(uris[i], UriKind.Absolute, out var uri) || uri.IsFile)
                errors.Add($"{key}:{i} '{uris[i]}' must be an absolute URI (RFC 6749 §3.1.2).");
            else if (!string.IsNullOrEmpty(uri.Fragment) || uris[i].Contains('#'))
                errors.Add($"{key}:{i} '{uris[i]}' must not contain a fragment (RFC 6749 §3.1.2).");
            // A code sent over plain http can be read on the way; only this machine's own loopback is exempt.
            else if (requireHttps && uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
                errors.Add($"{key}:{i} '{uris[i]}' must be https outside Development (http only on a loopback address, RFC 8252 §7.3).");
        }
    }
}
