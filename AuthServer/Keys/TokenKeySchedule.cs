using OAuthDemo.AuthServer.Configuration;

namespace OAuthDemo.AuthServer.Keys;

/// <summary>Where a key is in its life: published (in the JWKS, not signing), active, retired (still in the JWKS), removed.</summary>
public enum TokenKeyStage
{
    Published,
    Active,
    Retired,
    Removed,
}

/// <summary>A key's timeline: it signs (or encrypts) from <c>ActivatesAt</c> until <c>RetiresAt</c>, when its successor activates.</summary>
public sealed record KeyTimeline(string Id, DateTimeOffset ActivatesAt, DateTimeOffset? RetiresAt);

/// <summary>What the schedule asks for: a key to create (by activation time), retirement times to set, keys to delete.</summary>
public sealed record KeyPlan(DateTimeOffset? CreateActivatingAt, IReadOnlyList<(string Id, DateTimeOffset RetiresAt)> Retire, IReadOnlyList<string> Remove)
{
    public bool IsEmpty => CreateActivatingAt is null && Retire.Count == 0 && Remove.Count == 0;
}

public static class TokenKeyUses
{
    /// <summary>RS256 keys for the tokens others validate (access and ID tokens): published in the JWKS.</summary>
    public const string Signing = "sig";

    /// <summary>
    /// HS256 keys for the tokens only this server reads (codes, refresh tokens): never published,
    /// kept as long as those tokens live, and far cheaper to sign with than RSA.
    /// </summary>
    public const string ServerSigning = "srv-sig";

    /// <summary>A256KW keys that encrypt the tokens only this server reads.</summary>
    public const string Encryption = "enc";

    public static readonly IReadOnlyList<string> All = [Signing, ServerSigning, Encryption];
}

/// <summary>
/// The rotation schedule of one kind of key (signing or encryption), as pure functions of the keys,
/// the time and the settings, so that every replica computes the same plan.
/// </summary>
public static class TokenKeySchedule
{
    /// <summary>
    /// How long a retired key is kept: published signing keys for the retirement period (until the
    /// access tokens they signed have expired); the server's own keys as long as a refresh token they
    /// signed or encrypted may still be redeemed.
    /// </summary>
    public static TimeSpan Retention(string use, AuthServerSettings settings) =>
        use != TokenKeyUses.Signing && settings.RefreshTokenLifetime > settings.Keys.RetirementPeriod
            ? settings.RefreshTokenLifetime
            : settings.Keys.RetirementPeriod;

    public static TokenKeyStage StageOf(KeyTimeline key, DateTimeOffset now, TimeSpan retention) =>
        now < key.ActivatesAt ? TokenKeyStage.Published
        : key.RetiresAt is not { } retiresAt || now < retiresAt ? TokenKeyStage.Active
        : now < retiresAt + retention ? TokenKeyStage.Retired
        : TokenKeyStage.Removed;

    /// <summary>The key that signs (or encrypts) at <paramref name="now"/>: the newest one whose activation has come.</summary>
    public static KeyTimeline? ActiveAt(IEnumerable<KeyTimeline> keys, DateTimeOffset now) =>
        keys.Where(k => k.ActivatesAt <= now).MaxBy(k => k.ActivatesAt);

    /// <summary>
    /// The next steps: the first key if there is none; a successor published
    /// <see cref="KeySettings.PrepublishPeriod"/> before the current key's rotation is due (or as soon
    /// as possible after, never without pre-publication); each key's retirement at its successor's
    /// activation; removal once the retention after retirement has passed.
    /// </summary>
    public static KeyPlan Plan(IReadOnlyList<KeyTimeline> keys, DateTimeOffset now, KeySettings settings, TimeSpan retention)
    {
        var ordered = keys.OrderBy(k => k.ActivatesAt).ThenBy(k => k.Id, StringComparer.Ordinal).ToList();
        DateTimeOffset? create = null;

        var newest = ordered.LastOrDefault();
        if (newest is null)
            create = now; // first start: nothing yet to pre-publish against
        else if (newest.ActivatesAt <= now)
        {
            var due = newest.ActivatesAt + settings.RotationInterval;
            if (now >= due - settings.PrepublishPeriod)
                create = Later(due, now + settings.PrepublishPeriod);
        }

        var activations = ordered.Select(k => k.ActivatesAt).ToList();
        if (create is { } activation)
            activations.Add(activation);

        var retire = new List<(string, DateTimeOffset)>();
        var remove = new List<string>();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (i + 1 >= activations.Count)
                continue; // the newest key has no successor yet
            var retiresAt = activations[i + 1];
            if (ordered[i].RetiresAt != retiresAt)
                retire.Add((ordered[i].Id, retiresAt));
            if (now >= retiresAt + retention)
                remove.Add(ordered[i].Id);
        }

        return new KeyPlan(create, retire, remove);
    }

    /// <summary>
    /// "Rotate now": the next key activates at once (the published one if there is one, else a new
    /// one); the current one retires then.
    /// </summary>
    public static string? PublishedKeyToActivate(IReadOnlyList<KeyTimeline> keys, DateTimeOffset now) =>
        keys.Where(k => k.ActivatesAt > now).MinBy(k => k.ActivatesAt)?.Id;

    internal static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
