using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
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
