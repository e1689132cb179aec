using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OAuthDemo.AppHost.Postgres;

namespace OAuthDemo.AppHost;

/// <summary>A reason the AppHost cannot start that the person running it can fix; its message says how.</summary>
public sealed class StartupProblemException(string message) : Exception(message);

/// <summary>
/// Start-up problems a newcomer can act on end the AppHost at once with one line that says what to
/// do, and a non-zero exit code: not a stack trace, and not a wait of 40 seconds for a port that
/// was taken all along.
/// </summary>
internal static class StartupProblems
{
    /// <summary>A known problem, thrown anywhere while the AppHost is built, is printed as its message alone.</summary>
    public static void ReportPlainly() =>
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            for (var error = e.ExceptionObject as Exception; error is not null; error = error.InnerException)
            {
                if (error is StartupProblemException or PostgresUnavailableException)
                {
                    Console.Error.WriteLine($"OAuthDemo cannot start: {error.Message}");
                    Environment.Exit(1);
                }
            }
        };

    /// <summary>
    /// Every fixed port the run needs (the services' launch-profile ports, the dashboard's) must be
    /// free; else the AppHost stops before it starts anything, naming the port and its owner.
    /// Tests let Aspire pick free ports, so there is nothing to check then.
    /// </summary>
    public static void RequireFreePorts(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode || builder.Configuration.GetValue<bool>("DcpPublisher:RandomizePorts"))
            return;

        var needed = builder.Resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>()
                .Where(e => e.Port is not null).Select(e => (Port: e.Port!.Value, Owner: $"the {r.Name} resource's {e.Name} endpoint")))
            .Concat(DashboardPorts(builder.Configuration));
        foreach (var (port, owner) in needed)
        {
            if (!IsFree(port))
                throw new StartupProblemException(
                    $"port {port}, which {owner} needs, is already in use by another program. Stop that program (`ss -ltnp 'sport = :{port}'` shows which one; often an AppHost still running) and start again.");
        }
    }

    /// <summary>
    /// The https profile needs the ASP.NET Core development certificate, trusted: the dashboard
    /// serves with it, and the services call each other over https and refuse a certificate they do
    /// not trust, so without it they stay unhealthy and nothing says why. Aspire's own view of the
    /// certificates decides (the one it hands to the services); checked before anything starts.
    /// </summary>
    public static DistributedApplication RequireTrustedCertificateForHttps(this DistributedApplication app)
    {
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        if (!app.Services.GetRequiredService<DistributedApplicationExecutionContext>().IsRunMode || configuration["DOTNET_LAUNCH_PROFILE"] != "https")
            return app;

#pragma warning disable ASPIRECERTIFICATES001 // marked experimental; it is what Aspire itself trusts and hands out
        var certificates = app.Services.GetRequiredService<IDeveloperCertificateService>();
        var problem = certificates.Certificates.Count == 0 ? "there is no trusted ASP.NET Core development certificate"
            : certificates.LatestCertificateIsUntrusted ? "the newest ASP.NET Core development certificate is not trusted"
            : null;
#pragma warning restore ASPIRECERTIFICATES001
        if (problem is not null)
            throw new StartupProblemException(
                $"the https profile needs a trusted development certificate, and {problem}. Run `dotnet dev-certs https --trust` (on Linux this trusts it for OpenSSL, which the services use to call each other; browsers keep their own list), or use the default http profile: `dotnet run --project AppHost`.");
        return app;
    }

    private static IEnumerable<(int Port, string Owner)> DashboardPorts(IConfiguration configuration) =>
        new[] { ("ASPNETCORE_URLS", "the dashboard"), ("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "the dashboard's telemetry endpoint"), ("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "the dashboard's resource service") }
            .SelectMany(setting => (configuration[setting.Item1] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? (uri.Port, setting.Item2) : (0, setting.Item2)))
            .Where(p => p.Item1 > 0);

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
