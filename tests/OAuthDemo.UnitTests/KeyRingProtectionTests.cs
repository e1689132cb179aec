using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OAuthDemo.UnitTests;

public class KeyRingProtectionTests
{
    private static HostApplicationBuilder Builder(string environment, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new() { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    private static (string Pfx, string Password) NewCertificate(bool withPrivateKey = true)
    {
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        const string password = "p4ss";
        var pfx = withPrivateKey
            ? certificate.Export(X509ContentType.Pfx, password)
            : X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert)).Export(X509ContentType.Pfx, password);
        return (Convert.ToBase64String(pfx), password);
    }

    [Fact]
    public void A_configured_certificate_encrypts_new_keys()
    {
        var (pfx, password) = NewCertificate();
        var builder = Builder("Production", new() { [KeyRingProtection.CertificateSetting] = pfx, [KeyRingProtection.PasswordSetting] = password });

        builder.Services.AddDataProtection().ProtectKeysWithConfiguredCertificate(builder);

        using var services = builder.Services.BuildServiceProvider();
        Assert.NotNull(services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlEncryptor);
    }

    [Fact]
    public void Outside_Development_no_certificate_stops_the_start_naming_the_setting()
    {
        var builder = Builder("Production", []);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Services.AddDataProtection().ProtectKeysWithConfiguredCertificate(builder));
        Assert.StartsWith("DataProtection:Certificate is not set", error.Message);
    }

    [Fact]
    public void In_Development_no_certificate_leaves_keys_unencrypted_and_warns()
    {
        var builder = Builder("Development", []);

        builder.Services.AddDataProtection().ProtectKeysWithConfiguredCertificate(builder);

        using var services = builder.Services.BuildServiceProvider();
        Assert.Null(services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlEncryptor);
        Assert.Contains(builder.Services, s => s.ServiceType == typeof(IHostedService) && s.ImplementationType?.Name == "UnprotectedKeyRingWarning");
    }

    [Theory]
    [InlineData("no-such-file.pfx!", null, "DataProtection:Certificate is neither a readable file nor base64")]
    [InlineData("AAAA", null, "DataProtection:Certificate could not be opened with DataProtection:CertificatePassword")]
    public void A_bad_certificate_names_the_setting(string value, string? password, string expected)
    {
        var builder = Builder("Development", new() { [KeyRingProtection.CertificateSetting] = value, [KeyRingProtection.PasswordSetting] = password });

        var error = Assert.Throws<InvalidOperationException>(() => builder.Services.AddDataProtection().ProtectKeysWithConfiguredCertificate(builder));
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void A_wrong_password_names_the_password_setting()
    {
        var (pfx, _) = NewCertificate();
        var builder = Builder("Production", new() { [KeyRingProtection.CertificateSetting] = pfx, [KeyRingProtection.PasswordSetting] = "wrong" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.Services.AddDataProtection().ProtectKeysWithConfiguredCertificate(builder));
        Assert.Contains(KeyRingProtection.PasswordSetting, error.Message);
    }

    [Fact]
    public void A_certificate_without_its_private_key_is_refused()
    {
        var (pfx, password) = NewCertificate(withPrivateKey: false);
        var builder = Builder("Production", new() { [KeyRingProtection.CertificateSetting] = pfx, [KeyRingProtection.PasswordSetting] = password });

        var error = Assert.Throws<InvalidOperationException>(() => builder.Services.AddDataProtection().ProtectKeysWithConfiguredCertificate(builder));
        Assert.Contains("has no private key", error.Message);
    }
}
