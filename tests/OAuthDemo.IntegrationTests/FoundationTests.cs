using System.Net.Http.Json;
using System.Text.Json;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests;

public class FoundationTests(AppHostFixture fixture)
{
    public static TheoryData<string> ResourceNames => [.. AppHostFixture.Resources];

    [Theory]
    [MemberData(nameof(ResourceNames))]
    public async Task Every_resource_is_healthy(string resource)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // Returns only once an instance is Running and every health check passes.
        var healthy = await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);

        Assert.Equal("Running", healthy.Snapshot.State?.Text);
    }

    [Theory]
    [InlineData("authserver")]
    [InlineData("webclient")]
    public async Task Stateful_services_run_as_two_healthy_replicas_on_their_own_ports(string resource)
    {
        var replicas = await fixture.App.WaitForReplicasAsync(resource, 2, Ct);

        Assert.Equal(2, replicas.Select(r => r.Id).Distinct().Count());
        Assert.Equal(2, replicas.Select(r => r.Endpoint.Port).Distinct().Count());
        Assert.DoesNotContain(replicas, r => r.Endpoint == fixture.EndpointOf(resource)); // each is behind the proxy
    }

    [Theory]
    [InlineData("authserver", "AuthDbContext")] // Aspire's EF Core health check, named after the context
    [InlineData("resourceapi", "ApiDbContext")]
    [InlineData("webclient", "WebDbContext")]
    public async Task Service_reaches_its_own_database(string service, string healthCheck)
    {
        using var client = fixture.CreateHttpClient(service);

        var report = await client.GetFromJsonAsync<JsonElement>("/health", Ct);

        var check = report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == healthCheck);
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("authdb")]
    [InlineData("apidb")]
    [InlineData("webdb")]
    public async Task Databases_exist_on_the_real_server(string database)
    {
        var rows = await Sql.QueryAsync(await fixture.ConnectionStringOfAsync(database),
            "SELECT current_database(), version()", row => (Database: row.GetString(0), Version: row.GetString(1)));

        var (name, version) = Assert.Single(rows);
        Assert.Equal(database, name);
        Assert.StartsWith("PostgreSQL", version);
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("webclient")]
    public async Task Service_answers_liveness_probe(string service)
    {
        using var client = fixture.CreateHttpClient(service);

        var response = await client.GetStringAsync("/alive", Ct);

        Assert.Equal("Healthy", response);
    }
}
