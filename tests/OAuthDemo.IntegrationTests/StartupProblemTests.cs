using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests;

/// <summary>
/// `dotnet run --project AppHost` that cannot start says why in one line a newcomer can act on, at
/// once, and exits non-zero: no stack trace, no long wait.
/// </summary>
public class StartupProblemTests
{
    [Fact]
    public async Task A_port_in_use_is_named_at_once()
    {
        // The auth server's port in the http profile; if something else holds it already, the same case.
        using var taken = new TcpListener(IPAddress.Loopback, 5100);
        try
        {
            taken.Start();
        }
        catch (SocketException)
        {
        }

        var (exitCode, output, took) = await RunAppHostAsync([]);

        Assert.Equal(1, exitCode);
        Assert.Contains("OAuthDemo cannot start: port 5100, which the authserver resource's http endpoint needs, is already in use", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(30), $"It took {took.TotalSeconds:F0} s to say so.");
    }

    [Fact]
    public async Task An_impossible_postgres_mode_is_one_line_without_a_stack_trace()
    {
        var (exitCode, output, _) = await RunAppHostAsync(["Postgres:Mode=external"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("OAuthDemo cannot start:", output, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:postgres", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_https_profile_with_an_untrusted_certificate_says_how_to_trust_it()
    {
        // A home of its own, whose certificate store holds a development certificate made without
        // --trust: what a newcomer has after `dotnet dev-certs https` alone.
        var home = Directory.CreateTempSubdirectory("oauthdemo-home-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["HOME"] = home,
                // The packages stay where they are: nothing to download for a new home.
                ["NUGET_PACKAGES"] = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
                    ? packages
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            };
            using (var certificate = Process.Start(new ProcessStartInfo("dotnet", ["dev-certs", "https"]) { Environment = { ["HOME"] = home }, RedirectStandardOutput = true })!)
            {
                await certificate.WaitForExitAsync(Ct);
                Assert.Equal(0, certificate.ExitCode);
            }

            var (exitCode, output, took) = await RunAppHostAsync([], ["--launch-profile", "https"], environment);

            Assert.Equal(1, exitCode);
            Assert.Contains("OAuthDemo cannot start: the https profile needs a trusted development certificate", output, StringComparison.Ordinal);
            Assert.Contains("dotnet dev-certs https --trust", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            Assert.True(took < TimeSpan.FromSeconds(30), $"It took {took.TotalSeconds:F0} s to say so.");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output, TimeSpan Took)> RunAppHostAsync(
        string[] arguments, string[]? runOptions = null, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet", ["run", "--project", RepositoryPaths.AppHost, "--no-build", .. runOptions ?? [], "--", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? [])
            info.Environment[name] = value;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true); // it started after all: the assertions say so
            await process.WaitForExitAsync(Ct);
        }
        return (process.ExitCode, await stdout + await stderr, watch.Elapsed);
    }
}
