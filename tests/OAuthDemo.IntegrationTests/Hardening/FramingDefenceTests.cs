using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Hardening;

/// <summary>No page of the auth server or the web client may be framed by another site (RFC 9700 §4.16).</summary>
public class FramingDefenceTests(AppHostFixture fixture)
{
    private static void AssertNotFramable(HttpResponseMessage response)
    {
        Assert.Equal("frame-ancestors 'none'", string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("/account/login")] // the first request issues an antiforgery cookie (which adds SAMEORIGIN), the second not
    [InlineData("/error")]
    [InlineData("/.well-known/openid-configuration")]
    public async Task Auth_server_responses_cannot_be_framed(string path)
    {
        using var server = fixture.CreateAuthServerClient();
        using var first = await server.GetAsync(path, Ct);
        using var second = await server.GetAsync(path, Ct);

        AssertNotFramable(first);
        AssertNotFramable(second);
    }

    [Fact]
    public async Task The_consent_page_cannot_be_framed()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.CodeClient(fixture, server);
        var outcome = await server.As(AppHostFixture.ConsentUser, fixture.Secrets.TestUserPassword, decision: "deny")
            .RunAsync(client.AuthorizeUrl("openid", new Dictionary<string, string?> { ["prompt"] = "consent" }), Ct);
        Assert.Contains("consent", outcome.PagesSeen);

        // The consent page again, now signed in: read its headers.
        using var consent = await server.GetAsync(client.AuthorizeUrl("openid", new Dictionary<string, string?> { ["prompt"] = "consent" }), Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, consent.StatusCode);
        AssertNotFramable(consent);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/spa")]
    public async Task Web_client_pages_cannot_be_framed(string path)
    {
        using var web = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.EndpointOf("webclient") };

        using var response = await web.GetAsync(path, Ct);

        AssertNotFramable(response);
    }
}
