using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;
using OAuthDemo.AuthServer.Data;

namespace OAuthDemo.AuthServer.Keys;

/// <summary>Each key's credentials, unprotected and imported once per instance, not at every reload.</summary>
internal sealed class KeyMaterialCache
{
    private readonly ConcurrentDictionary<string, SigningCredentials> _signing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EncryptingCredentials> _encryption = new(StringComparer.Ordinal);

    public SigningCredentials Signing(TokenKey key, IDataProtector protector) => _signing.GetOrAdd(key.Id, id =>
    {
        var material = Unprotect(key, protector);
        if (key.Algorithm == SecurityAlgorithms.HmacSha256)
            return new SigningCredentials(new SymmetricSecurityKey(material) { KeyId = id }, key.Algorithm);

        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(material, out _);
        CryptographicOperations.ZeroMemory(material);
        return new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = id }, key.Algorithm);
    });

    public EncryptingCredentials Encryption(TokenKey key, IDataProtector protector) => _encryption.GetOrAdd(key.Id, id =>
        new EncryptingCredentials(new SymmetricSecurityKey(Unprotect(key, protector)) { KeyId = key.Id },
            key.Algorithm, SecurityAlgorithms.Aes256CbcHmacSha512));

    private static byte[] Unprotect(TokenKey key, IDataProtector protector)
    {
        try
        {
            return protector.Unprotect(Convert.FromBase64String(key.ProtectedKey));
        }
        catch (CryptographicException e)
        {
            // Says what to do instead of a stack trace: the usual cause is a lost or replaced certificate.
            throw new InvalidOperationException(
                $"Token key {key.Id} in authdb cannot be decrypted ({e.Message}). The Data Protection key ring that protects it " +
                $"was encrypted with another certificate than {KeyRingProtection.CertificateSetting}, or its key is gone: give back the " +
                "certificate it was made with. (Deleting the TokenKeys rows starts over with new keys, and every issued token stops working.)", e);
        }
    }

    /// <summary>Drops the credentials of keys no longer in the database.</summary>
    public void KeepOnly(IEnumerable<string> keyIds)
    {
        var kept = keyIds.ToHashSet(StringComparer.Ordinal);
        foreach (var id in _signing.Keys.Where(id => !kept.Contains(id)))
            _signing.TryRemove(id, out _);
        foreach (var id in _encryption.Keys.Where(id => !kept.Contains(id)))
            _encryption.TryRemove(id, out _);
    }
}
