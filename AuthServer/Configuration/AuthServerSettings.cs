namespace OAuthDemo.AuthServer.Configuration;

/// <summary>
/// The <c>AuthServer</c> configuration section (README: "Configuration"). Clients, scopes and users are
/// dictionaries keyed by id so that configuration layers add to each other.
/// </summary>
public sealed class AuthServerSettings
{
    public const string SectionName = "AuthServer";

    /// <summary>Absolute URL; when absent the issuer is taken from each request's host.</summary>
    public string? Issuer { get; set; }

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sliding: each refresh token lives this long after it was issued (and rotated).</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Absolute: no refresh token outlives the password sign-in that started its family by more
    /// than this, however often it is used (RFC 9700 §4.14.2); then the user signs in again.
    /// </summary>
    public TimeSpan RefreshTokenMaxLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the auth server's own sign-in cookie lasts (sliding) before the password is asked again.</summary>
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Zero: a used refresh token is dead at once (RFC 9700 §4.14.2).</summary>
    public TimeSpan RefreshTokenReuseLeeway { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long a pushed authorization request's request_uri stays usable (RFC 9126 §2.2: "typically
    /// between 5 and 600 seconds"). It must cover the user's sign-in and consent, because the
    /// browser comes back to the authorization endpoint with the same request_uri afterwards.
    /// </summary>
    public TimeSpan PushedRequestLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many failed sign-ins and client authentications one source may make.</summary>
    public FailedAttemptSettings FailedAttempts { get; set; } = new();

    /// <summary>How the signing and encryption keys rotate.</summary>
    public KeySettings Keys { get; set; } = new();

    public Dictionary<string, ScopeSettings> Scopes { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, ClientSettings> Clients { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, UserSettings> Users { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// <c>AuthServer:Keys</c>. A key is published (in the JWKS, not yet signing) for
/// <see cref="PrepublishPeriod"/>, then signs for <see cref="RotationInterval"/>, then stays in the
/// JWKS for <see cref="RetirementPeriod"/> so the tokens it signed still validate, then is removed.
/// The defaults fit a 15-minute access token and APIs that refresh the JWKS hourly.
/// </summary>
public sealed class KeySettings
{
    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan PrepublishPeriod { get; set; } = TimeSpan.FromDays(2);

    public TimeSpan RetirementPeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Lets the AppHost's "Rotate signing key now" command call <c>POST /admin/keys/rotate</c>
    /// (header <c>X-Admin-Secret</c>); without it that endpoint does not exist.
    /// </summary>
    public string? AdminSecret { get; set; }

    /// <summary>How often each instance follows the keys in the database: a fifth of the pre-publication period, at most a minute.</summary>
    public TimeSpan ReloadInterval => TimeSpan.FromTicks(Math.Clamp(PrepublishPeriod.Ticks / 5, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromMinutes(1).Ticks));
}

/// <summary>
/// <c>AuthServer:FailedAttempts</c>: failures one source may make within <see cref="Window"/> before
/// it must wait (429 with Retry-After). Only failures count: sign-ins and client authentications
/// that succeed are never limited. Counted in authdb, so all replicas share the count.
/// </summary>
public sealed class FailedAttemptSettings
{
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Wrong passwords for one user name from one address: slow guessing at one account.</summary>
    public int SignInsPerUserAndAddress { get; set; } = 5;

    /// <summary>Wrong passwords from one address, whatever the user name: password spraying.</summary>
    public int SignInsPerAddress { get; set; } = 20;

    /// <summary>Failed client authentications (invalid_client) for one client id from one address: secret guessing.</summary>
    public int ClientAuthenticationsPerClientAndAddress { get; set; } = 10;
}

public sealed class ScopeSettings
{
    public string? DisplayName { get; set; }

    /// <summary>Audiences (<c>aud</c>) of access tokens that carry this scope.</summary>
    public List<string> Resources { get; set; } = [];
}

public sealed class ClientSettings
{
    /// <summary>A shared secret (client_secret_basic/post); with <see cref="JsonWebKeySet"/> absent too, a public client.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The client's public keys as a JWKS (JSON): it authenticates with JWTs signed by the private
    /// half (private_key_jwt, RFC 7523) and has no secret at all.
    /// </summary>
    public string? JsonWebKeySet { get; set; }

    /// <summary>Authorization requests must be pushed first (RFC 9126); one with its parameters in the query is refused.</summary>
    public bool RequirePushedAuthorization { get; set; }

    public string? DisplayName { get; set; }

    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];

    public List<string> GrantTypes { get; set; } = [];

    public List<string> Scopes { get; set; } = [];

    /// <summary><c>explicit</c> (default: the user is asked) or <c>implicit</c>.</summary>
    public string? ConsentType { get; set; }

    /// <summary>May call the introspection endpoint (confidential clients only).</summary>
    public bool Introspect { get; set; }

    /// <summary>Overrides AuthServer:AccessTokenLifetime for this client's access tokens.</summary>
    public TimeSpan? AccessTokenLifetime { get; set; }

    /// <summary>Overrides AuthServer:RefreshTokenMaxLifetime for this client's refresh tokens.</summary>
    public TimeSpan? RefreshTokenMaxLifetime { get; set; }

    public bool IsPublic => ClientSecret is null && JsonWebKeySet is null;
}

public sealed class UserSettings
{
    public string? Password { get; set; }

    public string? Email { get; set; }

    public string? DisplayName { get; set; }
}
