using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

/// <summary>
/// Starts the real AuthServer process with configuration that cannot work and checks that it
/// stops by itself, naming the setting, before it touches any database.
/// </summary>
public class StartupValidationTests
{
    private static async Task<(int ExitCode, string Output)> RunAuthServerAsync(Dictionary<string, string> environment)
    {
        // Nothing listens here: validation must stop the start before a connection is tried.
        var settings = new Dictionary<string, string> { ["ConnectionStrings__authdb"] = ServiceProcess.UnreachableDatabase("authdb") };
        foreach (var (key, value) in environment)
            settings[key] = value;

        await using var server = ServiceProcess.AuthServer(settings);
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct);
        return (exitCode, server.Output);
    }

    [Fact]
    public async Task A_public_client_with_client_credentials_stops_the_start_naming_the_setting()
    {
        var (exitCode, output) = await RunAuthServerAsync(new()
        {
            ["AuthServer__Clients__harness-public__GrantTypes__0"] = "client_credentials",
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("AuthServer:Clients:harness-public:GrantTypes asks for client_credentials", output);
        Assert.DoesNotContain("Npgsql", output); // stopped before any database work
    }

    [Fact]
    public async Task A_relative_redirect_uri_stops_the_start_naming_the_setting()
    {
        var (exitCode, output) = await RunAuthServerAsync(new()
        {
            ["AuthServer__Clients__harness-web__ClientSecret"] = "s3cret",
            ["AuthServer__Clients__harness-web__GrantTypes__0"] = "authorization_code",
            ["AuthServer__Clients__harness-web__RedirectUris__0"] = "/callback",
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("AuthServer:Clients:harness-web:RedirectUris:0 '/callback' must be an absolute URI", output);
    }

    [Fact]
    public async Task A_missing_connection_string_names_the_setting()
    {
        var (exitCode, output) = await RunAuthServerAsync(new() { ["ConnectionStrings__authdb"] = "" });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("ConnectionStrings:authdb is not set", output);
    }
}
