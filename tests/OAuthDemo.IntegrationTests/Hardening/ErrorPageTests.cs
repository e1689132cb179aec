using System.Net;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Hardening;

/// <summary>
/// A failure in the web client shows its error page, never internals: here the auth server does not
/// answer, which is a 503 "temporarily unavailable" page with the trace id.
/// </summary>
public class ErrorPageTests(AppHostFixture fixture)
{
    [Fact]
    public async Task A_failure_shows_the_error_page_without_internals()
    {
        await using var database = await ThrowawayDatabase.CreateAsync(fixture, "weberror");
        await using var webClient = ServiceProcess.WebClient(new Dictionary<string, string>
        {
            ["ConnectionStrings__webdb"] = database.ConnectionString,
            ["WebClient__ClientSecret"] = "unused",
            // Nothing answers here, so starting a sign-in cannot read the discovery document.
            ["Authentication__Authority"] = "http://127.0.0.1:1/",
            ["WebClient__ResourceApi"] = "http://127.0.0.1:1/",
        });
        var address = await webClient.ListeningAddressAsync(TimeSpan.FromSeconds(90), Ct);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = address };

        using var response = await http.GetAsync("/account/login", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("data-testid=\"unavailable\"", html);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Matches("data-testid=\"trace-id\">[0-9a-f]{32}<", html);
        // Not the developer exception page, nor anything it would say.
        Assert.DoesNotContain("Exception", html);
        Assert.DoesNotContain("127.0.0.1:1", html);
        Assert.DoesNotContain(" at ", html);
    }
}
