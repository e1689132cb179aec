using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests;

/// <summary>
/// The Data Protection key rings (which protect the token keys, cookies and sessions) are stored
/// in PostgreSQL encrypted with the key-ring certificate, and no service runs in production without it.
/// </summary>
public class KeyRingProtectionTests(AppHostFixture fixture)
{
    [Theory]
    [InlineData("authdb")]
    [InlineData("webdb")]
    public async Task The_key_ring_in_the_database_is_encrypted_with_the_certificate(string database)
    {
        var keys = await Sql.QueryAsync(await fixture.ConnectionStringOfAsync(database),
            "SELECT \"Xml\" FROM \"DataProtectionKeys\"", row => row.GetString(0));

        // By the certificate this run gave the services, whose public part the XML names.
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
            Convert.FromBase64String(fixture.Secrets.KeyRingCertificate), fixture.Secrets.KeyRingCertificatePassword);
        var publicPart = Convert.ToBase64String(certificate.RawData);
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("encryptedSecret", xml);
            Assert.Contains(publicPart, string.Concat(xml.Where(c => !char.IsWhiteSpace(c))));
            Assert.DoesNotContain("<masterKey", xml); // no key in the clear
        });
    }

    public static TheoryData<string> Services => ["AuthServer", "WebClient"];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Outside_Development_a_service_without_the_certificate_refuses_to_start_naming_the_setting(string service)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // Nothing listens here: the refusal must come before any connection is tried.
            ["ConnectionStrings__authdb"] = ServiceProcess.UnreachableDatabase("authdb"),
            ["ConnectionStrings__webdb"] = ServiceProcess.UnreachableDatabase("webdb"),
        };
        await using var process = service == "AuthServer" ? ServiceProcess.AuthServer(environment) : ServiceProcess.WebClient(environment);

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("DataProtection:Certificate is not set", process.Output);
    }

    [Fact]
    public async Task In_Development_without_the_certificate_the_web_client_starts_and_warns()
    {
        await using var database = await ThrowawayDatabase.CreateAsync(fixture, "webnocert");
        await using var webClient = ServiceProcess.WebClient(new Dictionary<string, string>
        {
            ["ConnectionStrings__webdb"] = database.ConnectionString,
            ["WebClient__ClientSecret"] = "unused",
            ["Authentication__Authority"] = fixture.EndpointOf("authserver").ToString(),
            ["WebClient__ResourceApi"] = "http://127.0.0.1:1/",
        });

        await webClient.WaitForOutputAsync("Now listening on", TimeSpan.FromSeconds(90), Ct);

        Assert.Contains("DataProtection:Certificate is not set: the Data Protection key ring is stored unencrypted", webClient.Output);
    }
}
