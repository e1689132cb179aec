using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OAuthDemo.AuthServer.Configuration;
using OAuthDemo.AuthServer.Data;
using OAuthDemo.AuthServer.Observability;

namespace OAuthDemo.AuthServer.Keys;

/// <summary>
/// The token keys in <c>authdb</c>: follows the rotation schedule (creating, retiring and removing
/// keys) and loads them into the <see cref="TokenKeyRing"/>. Every change is made under one
/// PostgreSQL advisory lock, re-reading the keys inside it, so replicas that start or rotate at the
/// same moment create exactly one key. Private keys are stored protected by ASP.NET Core Data
/// Protection.
/// </summary>
internal sealed partial class TokenKeyStore(
    AuthDbContext db,
    IDataProtectionProvider dataProtection,
    IOptions<AuthServerSettings> settings,
    TokenKeyRing ring,
    KeyMaterialCache material,
    TokenMetrics metrics,
    TimeProvider clock,
    ILogger<TokenKeyStore> logger)
{
    // Any constant works: it only has to be the same for every replica.
    private const long KeyLockKey = 0x0A_07_D3_31;

    private readonly IDataProtector _protector = dataProtection.CreateProtector("OAuthDemo.AuthServer.TokenKeys.v1");

    /// <summary>Brings the keys in line with the schedule, then loads them. True if this instance's key set changed.</summary>
    public async Task<bool> FollowScheduleAsync(CancellationToken ct)
    {
        var read = ring.BeginRead();
        var keys = await db.TokenKeys.AsNoTracking().ToListAsync(ct);
        if (TokenKeyUses.All.Any(use => !PlanFor(use, keys).IsEmpty))
            (keys, read) = await ChangeUnderLockAsync(current => TokenKeyUses.All.Select(use => (use, PlanFor(use, current))).ToList(), ct);
        return Load(keys, read);
    }

    /// <summary>
    /// The next signing key (the published one, or a new one) activates as soon as every instance
    /// has it, and the current one retires then. Returns that key.
    /// </summary>
    public async Task<TokenKey> RotateSigningKeyNowAsync(CancellationToken ct)
    {
        var now = Now();
        // Every instance must publish a key before any token is signed with it, or an API could
        // fetch a JWKS without it: two reloads after publication, so one late reload still makes it.
        var loaded = 2 * settings.Value.Keys.ReloadInterval;
        var (keys, read) = await ChangeUnderLockAsync(current =>
        {
            var signing = current.Where(k => k.Use == TokenKeyUses.Signing).Select(Timeline).ToList();
            if (TokenKeySchedule.PublishedKeyToActivate(signing, now) is { } published)
            {
                // Moved forward; the schedule then retires the current key at its new activation.
                var key = current.Single(k => k.Id == published);
                key.ActivatesAt = TokenKeySchedule.Later(now, key.CreatedAt + loaded);
                LogActivatedEarly(logger, key.Id, key.ActivatesAt);
                return [(TokenKeyUses.Signing, PlanFor(TokenKeyUses.Signing, current))];
            }
            var activation = now + loaded;
            var retire = TokenKeySchedule.ActiveAt(signing, now) is { } active ? [(active.Id, activation)] : new List<(string, DateTimeOffset)>();
            return [(TokenKeyUses.Signing, new KeyPlan(activation, retire, []))];
        }, ct);
        Load(keys, read);
        return keys.Where(k => k.Use == TokenKeyUses.Signing).MaxBy(k => k.ActivatesAt)!;
    }

    private KeyPlan PlanFor(string use, IEnumerable<TokenKey> keys) =>
        TokenKeySchedule.Plan(keys.Where(k => k.Use == use).Select(Timeline).ToList(), Now(), settings.Value.Keys, TokenKeySchedule.Retention(use, settings.Value));

    /// <summary>In PostgreSQL's precision (microseconds), so a time read back compares equal to the one written.</summary>
    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    /// <summary>Re-reads the keys under the lock, applies what <paramref name="decide"/> asks, and returns the keys after.</summary>
    private async Task<(List<TokenKey> Keys, long Read)> ChangeUnderLockAsync(Func<List<TokenKey>, List<(string Use, KeyPlan Plan)>> decide, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({KeyLockKey})", ct);
        var read = ring.BeginRead();
        var keys = await db.TokenKeys.ToListAsync(ct);

        foreach (var (use, plan) in decide(keys))
        {
            foreach (var (id, retiresAt) in plan.Retire)
                keys.Single(k => k.Id == id).RetiresAt = retiresAt;
            foreach (var id in plan.Remove)
            {
                var removed = keys.Single(k => k.Id == id);
                db.TokenKeys.Remove(removed);
                keys.Remove(removed);
                LogRemoved(logger, use, id);
                metrics.RecordKeyEvent("removed", use);
            }
            if (plan.CreateActivatingAt is { } activatesAt)
            {
                var created = Create(use, activatesAt);
                db.TokenKeys.Add(created);
                keys.Add(created);
                LogCreated(logger, use, created.Id, created.Algorithm, activatesAt);
                metrics.RecordKeyEvent("created", use);
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (keys, read);
    }

    private TokenKey Create(string use, DateTimeOffset activatesAt)
    {
        string id, algorithm;
        byte[] privateKey;
        if (use == TokenKeyUses.Signing)
        {
            // RS256: the algorithm every OpenID Connect relying party must accept for ID tokens.
            using var rsa = RSA.Create(2048);
            privateKey = rsa.ExportPkcs8PrivateKey();
            id = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false))).ComputeJwkThumbprint());
            algorithm = SecurityAlgorithms.RsaSha256;
        }
        else
        {
            // Codes and refresh tokens are signed and encrypted for the server itself: symmetric keys
            // (HS256, A256KW) are enough and never leave the server.
            privateKey = RandomNumberGenerator.GetBytes(32);
            id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12));
            algorithm = use == TokenKeyUses.ServerSigning ? SecurityAlgorithms.HmacSha256 : SecurityAlgorithms.Aes256KW;
        }

        var key = new TokenKey
        {
            Id = id,
            Use = use,
            Algorithm = algorithm,
            CreatedAt = Now(),
            ActivatesAt = activatesAt,
            ProtectedKey = Convert.ToBase64String(_protector.Protect(privateKey)),
        };
        CryptographicOperations.ZeroMemory(privateKey);
        return key;
    }

    private bool Load(List<TokenKey> keys, long read)
    {
        var now = clock.GetUtcNow();
        bool Kept(TokenKey k) => TokenKeySchedule.StageOf(Timeline(k), now, TokenKeySchedule.Retention(k.Use, settings.Value)) != TokenKeyStage.Removed;
        List<LoadedKey<SigningCredentials>> SigningKeys(string use) => keys.Where(k => k.Use == use && Kept(k)).OrderBy(k => k.ActivatesAt)
            .Select(k => new LoadedKey<SigningCredentials>(Timeline(k), material.Signing(k, _protector))).ToList();
        var signing = SigningKeys(TokenKeyUses.Signing);
        var serverSigning = SigningKeys(TokenKeyUses.ServerSigning);
        var encryption = keys.Where(k => k.Use == TokenKeyUses.Encryption && Kept(k)).OrderBy(k => k.ActivatesAt)
            .Select(k => new LoadedKey<EncryptingCredentials>(Timeline(k), material.Encryption(k, _protector))).ToList();

        if (!ring.Load(read, signing, serverSigning, encryption))
            return false;

        LogLoaded(logger, signing.Select(k => $"{k.Timeline.Id} ({TokenKeySchedule.StageOf(k.Timeline, now, settings.Value.Keys.RetirementPeriod).ToString().ToLowerInvariant()})"),
            serverSigning.Select(k => k.Timeline.Id), encryption.Select(k => k.Timeline.Id));
        material.KeepOnly(keys.Select(k => k.Id));
        return true;
    }

    private static KeyTimeline Timeline(TokenKey key) => new(key.Id, key.ActivatesAt, key.RetiresAt);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Created {Use} key {KeyId} ({Algorithm}), published now, active from {ActivatesAt:O}")]
    private static partial void LogCreated(ILogger logger, string use, string keyId, string algorithm, DateTimeOffset activatesAt);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Removed {Use} key {KeyId}: its retirement period is over")]
    private static partial void LogRemoved(ILogger logger, string use, string keyId);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Signing key {KeyId} activates at {ActivatesAt}, ahead of its schedule (rotate now)")]
    private static partial void LogActivatedEarly(ILogger logger, string keyId, DateTimeOffset activatesAt);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Token keys in use: signing {SigningKeys}, server signing {ServerSigningKeys}, encryption {EncryptionKeys}")]
    private static partial void LogLoaded(ILogger logger, IEnumerable<string> signingKeys, IEnumerable<string> serverSigningKeys, IEnumerable<string> encryptionKeys);
}
