using System.Net;
using System.Text.RegularExpressions;
using OAuthDemo.AppHost;

namespace OAuthDemo.IntegrationTests;

/// <summary>A healthy first run shows no errors: not even a browser's request for a missing icon, which the dashboard lists as a failed request per page.</summary>
public partial class FirstRunTests(AppHostFixture fixture)
{
    [Theory]
    [InlineData("authserver", "/account/login")]
    [InlineData("webclient", "/")]
    [InlineData("webclient", "/spa")]
    public async Task Every_page_names_an_icon_that_exists(string service, string page)
    {
        using var http = fixture.CreateHttpClient(service);
        var html = await http.GetStringAsync(page, Ct);

        var icon = IconLink().Match(html);
        Assert.True(icon.Success, $"{page} names no icon, so browsers ask for /favicon.ico");
        using var response = await http.GetAsync(icon.Groups["href"].Value, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void Once_ready_the_console_says_where_to_sign_in_and_where_the_passwords_are()
    {
        var message = Assert.Single(fixture.AppHostLog.Messages, m => m.StartsWith("OAuthDemo is ready", StringComparison.Ordinal));
        var webClient = fixture.EndpointOf("webclient").ToString().TrimEnd('/');
        Assert.Contains($"Sign in at {webClient} ", message, StringComparison.Ordinal);
        Assert.Contains("alice-password", message, StringComparison.Ordinal);
        Assert.Contains($"{webClient}/flow", message, StringComparison.Ordinal);
        Assert.Contains($"{fixture.EndpointOf("authserver").ToString().TrimEnd('/')}/connect/token", message, StringComparison.Ordinal);
    }

    [GeneratedRegex("""<link rel="icon" href="(?<href>[^"]+)""")]
    private static partial Regex IconLink();
}
