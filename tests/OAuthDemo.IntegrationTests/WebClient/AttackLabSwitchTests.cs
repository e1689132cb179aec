using System.Net;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.WebClient;

/// <summary>The attack lab exists only where it should: on in the running sample, off by configuration, never outside Development.</summary>
public class AttackLabSwitchTests(AppHostFixture fixture)
{
    [Fact]
    public async Task In_the_running_sample_the_lab_asks_for_a_sign_in()
    {
        using var web = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.EndpointOf("webclient") };

        using var lab = await web.GetAsync("/lab", Ct);

        Assert.Equal(HttpStatusCode.Found, lab.StatusCode);
        Assert.StartsWith("/account/login?ReturnUrl=%2Flab", lab.Headers.Location?.PathAndQuery);
    }

    [Theory]
    [InlineData("Development", "false")] // switched off by configuration
    [InlineData("Production", "true")]   // outside Development, whatever the configuration says
    public async Task Switched_off_the_lab_has_no_page_and_no_link(string environment, string attackLab)
    {
        await using var database = await ThrowawayDatabase.CreateAsync(fixture, $"weblab{environment.ToLowerInvariant()}");
        await using var webClient = ServiceProcess.WebClient(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["ConnectionStrings__webdb"] = database.ConnectionString,
            ["DataProtection__Certificate"] = fixture.Secrets.KeyRingCertificate,
            ["DataProtection__CertificatePassword"] = fixture.Secrets.KeyRingCertificatePassword,
            ["WebClient__ClientSecret"] = "unused",
            ["WebClient__AttackLab"] = attackLab,
            ["Authentication__Authority"] = "https://login.example.test/",
            ["WebClient__ResourceApi"] = "https://api.example.test/",
            // In Production plain HTTP is redirected unless a trusted proxy says https was used.
            ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
        });
        var address = await webClient.ListeningAddressAsync(TimeSpan.FromSeconds(90), Ct);
        using var web = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = address };
        web.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        using var lab = await web.GetAsync("/lab", Ct);
        using var callback = await web.GetAsync("/lab/callback?code=x&state=y", Ct);
        using var home = await web.GetAsync("/", Ct);

        Assert.True(lab.StatusCode == HttpStatusCode.NotFound, $"/lab: {lab.StatusCode} {lab.Headers.Location}");
        Assert.True(callback.StatusCode == HttpStatusCode.NotFound, $"/lab/callback: {callback.StatusCode} {callback.Headers.Location}");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.DoesNotContain("href=\"/lab\"", await home.Content.ReadAsStringAsync(Ct));
    }
}
