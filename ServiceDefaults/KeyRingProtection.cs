using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Encrypts the Data Protection key ring at rest with a certificate, so a database backup alone
/// cannot decrypt cookies, sessions or the auth server's token keys.
/// </summary>
public static partial class KeyRingProtection
{
    public const string CertificateSetting = "DataProtection:Certificate";
    public const string PasswordSetting = "DataProtection:CertificatePassword";

    /// <summary>
    /// <c>DataProtection:Certificate</c> (a base64 PFX or a PFX file path) and
    /// <c>DataProtection:CertificatePassword</c>. Required outside Development; a Development run
    /// without them (the README's standalone commands) stores the key ring unencrypted and says so.
    /// A KMS or HSM plugs in here instead: any <c>IXmlEncryptor</c> (e.g. Azure Key Vault's
    /// <c>ProtectKeysWithAzureKeyVault</c>) replaces the certificate.
    /// </summary>
    public static IDataProtectionBuilder ProtectKeysWithConfiguredCertificate(this IDataProtectionBuilder dataProtection, IHostApplicationBuilder builder)
    {
        var certificate = LoadCertificate(builder.Configuration);
        if (certificate is not null)
            return dataProtection.ProtectKeysWithCertificate(certificate);

        if (!builder.Environment.IsDevelopment())
            throw new InvalidOperationException(
                $"{CertificateSetting} is not set: outside Development the Data Protection key ring must be encrypted at rest. " +
                $"Give a PFX (base64 or a file path) with a private key, and its password in {PasswordSetting}.");

        builder.Services.AddHostedService<UnprotectedKeyRingWarning>();
        return dataProtection;
    }

    private static X509Certificate2? LoadCertificate(IConfiguration configuration)
    {
        var value = configuration[CertificateSetting];
        if (string.IsNullOrWhiteSpace(value))
            return null;

        var password = configuration[PasswordSetting];
        byte[] pfx;
        try
        {
            pfx = File.Exists(value) ? File.ReadAllBytes(value) : Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{CertificateSetting} is neither a readable file nor base64: give a PFX file path or its base64 content.");
        }

        X509Certificate2 certificate;
        try
        {
            // The private key stays in memory, never written to a key store (macOS has no ephemeral sets).
            var storage = OperatingSystem.IsMacOS() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet;
            certificate = X509CertificateLoader.LoadPkcs12(pfx, password, storage);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"{CertificateSetting} could not be opened with {PasswordSetting}: {e.Message}");
        }

        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"{CertificateSetting} has no private key: the key ring could be encrypted but never read back.");
    }

    private sealed partial class UnprotectedKeyRingWarning(ILogger<UnprotectedKeyRingWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogUnprotected(logger, CertificateSetting);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(EventId = 9001, Level = LogLevel.Warning,
            Message = "{Setting} is not set: the Data Protection key ring is stored unencrypted (allowed in Development only; the AppHost sets it)")]
        private static partial void LogUnprotected(ILogger logger, string setting);
    }
}
