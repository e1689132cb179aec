using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Hardening;

/// <summary>
/// Every response of the auth server and the web client has a Content-Security-Policy (own scripts
/// only, never framed: RFC 9700 §4.16), X-Frame-Options and nosniff; the browser tests show the
/// pages work within it and that an injected script does not run.
/// </summary>
public class BrowserDefenceTests(AppHostFixture fixture)
{
    private static IReadOnlyList<string> Policy(HttpResponseMessage response) =>
        string.Join(",", response.Headers.GetValues("Content-Security-Policy")).Split(';', StringSplitOptions.TrimEntries);

    private static void AssertNotFramable(HttpResponseMessage response)
    {
        var policy = Policy(response);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("object-src 'none'", policy);
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

    [Fact]
    public async Task The_web_client_may_fetch_only_from_itself_the_auth_server_and_the_api()
    {
        using var web = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.EndpointOf("webclient") };

        using var response = await web.GetAsync("/spa", Ct);

        var authServer = fixture.EndpointOf("authserver").GetLeftPart(UriPartial.Authority);
        var api = fixture.EndpointOf("resourceapi").GetLeftPart(UriPartial.Authority);
        Assert.Contains($"connect-src 'self' {authServer} {api}", Policy(response));
        Assert.Contains($"form-action 'self' {authServer}", Policy(response));
    }

    [Fact]
    public async Task The_api_answers_cannot_be_run_or_framed()
    {
        using var api = fixture.CreateApiClient();

        using var response = await api.GetAsync("/api/me", Ct);

        Assert.Equal(["default-src 'none'", "frame-ancestors 'none'"], Policy(response));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
    }
}
