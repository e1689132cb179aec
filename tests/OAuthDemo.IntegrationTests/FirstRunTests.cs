using System.Net;
using System.Text.RegularExpressions;
using OAuthDemo.AppHost;
using OAuthDemo.IntegrationTests.Infrastructure;

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

    [Fact]
    public void A_first_run_on_new_databases_shows_no_error()
    {
        // Red lines on a healthy first run teach newcomers to ignore red lines.
        Assert.True(fixture.StartupErrors.Count == 0, "Shown as errors while the system started:\n" + string.Join("\n", fixture.StartupErrors));
    }

    [Fact]
    public async Task A_real_database_error_is_still_shown_as_an_error()
    {
        // The other half of the quiet first run: PostgreSQL's ERROR lines keep going to stderr.
        var table = $"missing_{Guid.NewGuid():N}";
        var postgres = await fixture.ConnectionStringOfAsync("postgres");
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Sql.ScalarAsync(postgres, $"SELECT 1 FROM {table}"));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!fixture.StderrLines.Any(line => line.Contains(table, StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            await Task.Delay(200, Ct);
        Assert.Contains(fixture.StderrLines, line => line.StartsWith("postgres", StringComparison.Ordinal) && line.Contains($"relation \"{table}\" does not exist", StringComparison.Ordinal));
    }

    [GeneratedRegex("""<link rel="icon" href="(?<href>[^"]+)""")]
    private static partial Regex IconLink();
}
