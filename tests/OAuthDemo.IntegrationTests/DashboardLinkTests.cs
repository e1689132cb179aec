using System.Net;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests;

/// <summary>The dashboard's resource list links to what a learner wants, by name, and every link leads somewhere.</summary>
public class DashboardLinkTests(AppHostFixture fixture)
{
    [Theory]
    [InlineData("webclient", "Sign in", HttpStatusCode.Found)] // on to the auth server
    [InlineData("webclient", "Flow inspector", HttpStatusCode.Found)] // asks the visitor to sign in first
    [InlineData("webclient", "SPA", HttpStatusCode.OK)]
    [InlineData("authserver", "Discovery document", HttpStatusCode.OK)]
    [InlineData("authserver", "JWKS", HttpStatusCode.OK)]
    [InlineData("resourceapi", "OpenAPI", HttpStatusCode.OK)]
    [InlineData("worker", "Health", HttpStatusCode.OK)]
    public async Task A_named_link_leads_to_its_page(string resource, string text, HttpStatusCode expected)
    {
        var links = await LinksOfAsync(resource);
        Assert.True(links.TryGetValue(text, out var url), $"{resource} has no link \"{text}\": {string.Join(", ", links.Keys)}");

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await http.GetAsync(url, Ct);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task No_link_of_any_service_is_a_dead_end()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        foreach (var resource in AppHostFixture.ServiceProjects)
            foreach (var (text, url) in await LinksOfAsync(resource))
            {
                using var response = await http.GetAsync(url, Ct);
                Assert.True((int)response.StatusCode < 400, $"{resource}'s link \"{text}\" ({url}) answers {(int)response.StatusCode}");
            }
    }

    /// <summary>The links the dashboard shows for the resource (one instance's; replicas share them), by their text.</summary>
    private async Task<Dictionary<string, string>> LinksOfAsync(string resource)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await foreach (var change in fixture.App.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (change.Resource.Name != resource || change.Snapshot.State?.Text != "Running" || change.Snapshot.Urls.IsDefaultOrEmpty)
                continue;
            return change.Snapshot.Urls.Where(u => !u.IsInternal && !u.IsInactive)
                .GroupBy(u => u.DisplayProperties.DisplayName is { Length: > 0 } name ? name : u.Url)
                .ToDictionary(g => g.Key, g => g.First().Url);
        }
        throw new InvalidOperationException($"{resource} never showed its links.");
    }
}
