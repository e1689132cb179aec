using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OAuthDemo.AppHost;

/// <summary>
/// The certificate that encrypts the Data Protection key rings at rest (DataProtection:Certificate),
/// generated once like the other secrets: a self-signed RSA certificate as a base64 PFX, and its
/// password, kept in the AppHost's user secrets. In production it comes from your certificate store.
/// </summary>
public static class KeyRingCertificate
{
    public static IResourceBuilder<ProjectResource> WithKeyRingCertificate(
        this IResourceBuilder<ProjectResource> project, KeyRingCertificateParameters certificate) =>
        project
            .WithEnvironment("DataProtection__Certificate", certificate.Pfx)
            .WithEnvironment("DataProtection__CertificatePassword", certificate.Password);

    public static KeyRingCertificateParameters AddKeyRingCertificate(this IDistributedApplicationBuilder builder, string name)
    {
        var passwordName = $"{name}-password";
        // The certificate is encrypted with the password, so both must come from the same run:
        // a persisted password is reused when only the certificate is missing.
        var password = builder.Configuration[$"Parameters:{passwordName}"] ?? NewPassword();
        return new(
            builder.AddSecretMadeOnce(name, () => SelfSignedPfx(name, password)),
            builder.AddSecretMadeOnce(passwordName, () => password));
    }

    /// <summary>A fresh certificate and password, as base64 PFX; the tests use one per run.</summary>
    public static (string Pfx, string Password) Create(string subject)
    {
        var password = NewPassword();
        return (SelfSignedPfx(subject, password), password);
    }

    private static string NewPassword() => RandomNumberGenerator.GetHexString(32, lowercase: true);

    private static string SelfSignedPfx(string subject, string password)
    {
        using var key = RSA.Create(3072);
        var request = new CertificateRequest($"CN=OAuthDemo {subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        var now = DateTimeOffset.UtcNow;
        // Data Protection decrypts with it whatever its dates; the dates only say when it was made.
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        return Convert.ToBase64String(certificate.Export(X509ContentType.Pfx, password));
    }
}

public sealed record KeyRingCertificateParameters(IResourceBuilder<ParameterResource> Pfx, IResourceBuilder<ParameterResource> Password);
