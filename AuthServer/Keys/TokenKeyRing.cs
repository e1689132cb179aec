using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace OAuthDemo.AuthServer.Keys;

/// <summary>A key loaded from the database, ready for OpenIddict.</summary>
public sealed record LoadedKey<TCredentials>(KeyTimeline Timeline, TCredentials Credentials);

/// <summary>
/// The keys this instance holds, as the database last said: every published signing key that is
/// published, active or retired (all in the JWKS and accepted for validation), and every server
/// signing and encryption key not yet removed (accepted for the server's own tokens). Which one signs or encrypts is decided per token, by time
/// (<see cref="ActiveSigning"/>), so a key takes over exactly at its activation on every replica.
/// When the set changes, OpenIddict's options are rebuilt (this is their change token source), so
/// the JWKS and validation follow without a restart.
/// </summary>
public sealed class TokenKeyRing(TimeProvider clock) : IOptionsChangeTokenSource<OpenIddictServerOptions>
{
    private readonly Lock _loading = new();
    private volatile Keys? _keys;
    private CancellationTokenSource _changed = new();
    private long _readSequence;
    private long _installedRead = -1;

    private sealed record Keys(
        IReadOnlyList<LoadedKey<SigningCredentials>> Signing,
        IReadOnlyList<LoadedKey<SigningCredentials>> ServerSigning,
        IReadOnlyList<LoadedKey<EncryptingCredentials>> Encryption);

    public string? Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    public IReadOnlyList<LoadedKey<SigningCredentials>> Signing => Current.Signing;

    public IReadOnlyList<LoadedKey<SigningCredentials>> ServerSigning => Current.ServerSigning;

    public IReadOnlyList<LoadedKey<EncryptingCredentials>> Encryption => Current.Encryption;

    /// <summary>The signing key for an access or ID token issued now.</summary>
    public LoadedKey<SigningCredentials> ActiveSigning => ActiveOf(Current.Signing);

    /// <summary>The signing key for a code or refresh token issued now.</summary>
    public LoadedKey<SigningCredentials> ActiveServerSigning => ActiveOf(Current.ServerSigning);

    /// <summary>The encryption key for a token issued now.</summary>
    public LoadedKey<EncryptingCredentials> ActiveEncryption => ActiveOf(Current.Encryption);

    public bool IsLoaded => _keys is not null;

    private Keys Current => _keys ?? throw new InvalidOperationException("Token keys are not loaded yet: InitializeAuthServerAsync() must run before the server handles requests.");

    private LoadedKey<T> ActiveOf<T>(IReadOnlyList<LoadedKey<T>> keys)
    {
        var now = clock.GetUtcNow();
        LoadedKey<T>? active = null;
        foreach (var key in keys)
            if (key.Timeline.ActivatesAt <= now && (active is null || key.Timeline.ActivatesAt > active.Timeline.ActivatesAt))
                active = key;
        return active ?? throw new InvalidOperationException("No token key has activated yet.");
    }

    /// <summary>Numbers a read of the keys from the database, taken just before it starts.</summary>
    internal long BeginRead() => Interlocked.Increment(ref _readSequence);

    /// <summary>
    /// Takes the keys read by <paramref name="read"/>; tells OpenIddict when the set changed. A read
    /// older than the one installed (a slow background reload finishing after a rotation) is ignored.
    /// </summary>
    internal bool Load(
        long read,
        IReadOnlyList<LoadedKey<SigningCredentials>> signing,
        IReadOnlyList<LoadedKey<SigningCredentials>> serverSigning,
        IReadOnlyList<LoadedKey<EncryptingCredentials>> encryption)
    {
        lock (_loading)
        {
            if (read < _installedRead)
                return false;
            _installedRead = read;

            var previous = _keys;
            if (previous is not null && SameKeys(previous.Signing, signing) && SameKeys(previous.ServerSigning, serverSigning) && SameKeys(previous.Encryption, encryption))
                return false;

            _keys = new Keys(signing, serverSigning, encryption);
            // Not disposed: a reader may still be taking its token.
            Interlocked.Exchange(ref _changed, new CancellationTokenSource()).Cancel();
            return true;
        }
    }

    private static bool SameKeys<T>(IReadOnlyList<LoadedKey<T>> a, IReadOnlyList<LoadedKey<T>> b) =>
        a.Select(k => k.Timeline).SequenceEqual(b.Select(k => k.Timeline));
}

/// <summary>Gives OpenIddict the ring's keys instead of development certificates, each time its options are built.</summary>
internal sealed class TokenKeyRingOptionsSetup(TokenKeyRing ring) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        // All in one list: OpenIddict publishes only the asymmetric ones in the JWKS and accepts
        // all of them when it validates its own tokens.
        foreach (var key in ring.Signing.Concat(ring.ServerSigning))
            options.SigningCredentials.Add(key.Credentials);
        foreach (var key in ring.Encryption)
            options.EncryptionCredentials.Add(key.Credentials);
    }
}
