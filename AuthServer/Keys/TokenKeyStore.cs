using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OAuthDemo.AuthServer.Data;

namespace OAuthDemo.AuthServer.Keys;

/// <summary>
/// Creates the token keys on first start and loads them on every start, from <c>authdb</c>.
/// Private keys are stored protected by ASP.NET Core Data Protection (whose key ring is in the
/// same database: swap in ProtectKeysWith… for a KMS in production).
/// </summary>
internal sealed class TokenKeyStore(AuthDbContext db, IDataProtectionProvider dataProtection, TimeProvider clock, ILogger<TokenKeyStore> logger)
{
    public const string SignatureUse = "sig";
    public const string EncryptionUse = "enc";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("OAuthDemo.AuthServer.TokenKeys.v1");

    public async Task LoadIntoAsync(TokenKeyRing ring, CancellationToken ct)
    {
        var keys = await db.TokenKeys.AsNoTracking().OrderByDescending(k => k.ActivatesAt).ToListAsync(ct);

        if (!keys.Any(k => k.Use == SignatureUse))
            keys.Add(await CreateAsync(SignatureUse, ct));
        if (!keys.Any(k => k.Use == EncryptionUse))
            keys.Add(await CreateAsync(EncryptionUse, ct));

        var now = clock.GetUtcNow();
        var usable = keys.Where(k => k.RetiresAt is null || k.RetiresAt > now).ToLookup(k => k.Use);

        ring.Load(
            usable[SignatureUse].Select(ToSigningCredentials).ToList(),
            usable[EncryptionUse].Select(ToEncryptingCredentials).ToList());

        logger.LogInformation("Loaded token keys: signing {SigningKeyIds}, encryption {EncryptionKeyIds}",
            usable[SignatureUse].Select(k => k.Id), usable[EncryptionUse].Select(k => k.Id));
    }

    private async Task<TokenKey> CreateAsync(string use, CancellationToken ct)
    {
        string id, algorithm;
        byte[] material;
        if (use == SignatureUse)
        {
            // RS256: the algorithm every OpenID Connect relying party must accept for ID tokens.
            using var rsa = RSA.Create(2048);
            material = rsa.ExportPkcs8PrivateKey();
            id = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false))).ComputeJwkThumbprint());
            algorithm = SecurityAlgorithms.RsaSha256;
        }
        else
        {
            // Codes and refresh tokens are encrypted for the server itself: a symmetric key
            // (A256KW) is enough and never leaves the server.
            material = RandomNumberGenerator.GetBytes(32);
            id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12));
            algorithm = SecurityAlgorithms.Aes256KW;
        }

        var now = clock.GetUtcNow();
        var key = new TokenKey
        {
            Id = id,
            Use = use,
            Algorithm = algorithm,
            CreatedAt = now,
            ActivatesAt = now,
            ProtectedKey = Convert.ToBase64String(_protector.Protect(material)),
        };
        CryptographicOperations.ZeroMemory(material);

        db.TokenKeys.Add(key);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Created {Use} key {KeyId} ({Algorithm})", use, id, algorithm);
        return key;
    }

    private SigningCredentials ToSigningCredentials(TokenKey key)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(_protector.Unprotect(Convert.FromBase64String(key.ProtectedKey)), out _);
        return new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = key.Id }, key.Algorithm);
    }

    private EncryptingCredentials ToEncryptingCredentials(TokenKey key) =>
        new(new SymmetricSecurityKey(_protector.Unprotect(Convert.FromBase64String(key.ProtectedKey))) { KeyId = key.Id },
            key.Algorithm, SecurityAlgorithms.Aes256CbcHmacSha512);
}
