using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OAuthDemo.AppHost.Postgres;

internal static class LocalPostgresBuilderExtensions
{
    private const string Setpriv = "/usr/bin/setpriv";

    /// <summary>
    /// Adds a PostgreSQL server run from local binaries as an executable resource: initdb on first
    /// run, data kept between runs, a free port each run, healthy once it accepts connections.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, string binDirectory, string? baseDirectory)
    {
        // PostgreSQL refuses to run as root; as root we drop to the postgres OS user.
        var runAsPostgresUser = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";
        var layout = new LocalPostgresLayout(
            binDirectory,
            Path.GetFullPath(string.IsNullOrWhiteSpace(baseDirectory) ? LocalPostgresLayout.DefaultBaseDirectory(runAsPostgresUser) : baseDirectory),
            runAsPostgresUser);

        // A fresh port per run: a server from a previous run may still be shutting down on the old one.
        var port = FreeLoopbackPort();
        var postgres = Path.Combine(binDirectory, "postgres");
        var serverArgs = new[]
        {
            postgres, "-D", layout.DataDirectory, "-p", port.ToString(),
            "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
        };

        var routedServer = PostgresLogRouting.Arguments(serverArgs);
        var resource = runAsPostgresUser
            ? new LocalPostgresServerResource(name, Setpriv, layout.BaseDirectory, layout)
            : new LocalPostgresServerResource(name, PostgresLogRouting.Shell, layout.BaseDirectory, layout);
        string[] args = runAsPostgresUser ? [.. AsPostgresUser, PostgresLogRouting.Shell, .. routedServer] : routedServer;

        var healthCheckKey = $"{name}-accepts-connections";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, async ct =>
        {
            // Not before the server says it is ready: a connection while it starts up is refused
            // with a FATAL line in its log, which the dashboard shows in red on a healthy start.
            if (!IsReady(layout.DataDirectory))
                return HealthCheckResult.Unhealthy("starting");
            try
            {
                var connectionString = await resource.ConnectionStringExpression.GetValueAsync(ct);
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
        });

        // initdb must finish before DCP starts the server process.
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (e, ct) =>
        {
            var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
            await InitializeDataDirectoryAsync(layout, logger, ct);
        });

        // Ensure the base folder exists before DCP uses it as the working directory.
        Directory.CreateDirectory(layout.BaseDirectory);

        return builder.AddResource(resource)
            .WithArgs(args)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: LocalPostgresServerResource.EndpointName, isProxied: false)
            .WithHealthCheck(healthCheckKey)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgreSQL (local)",
                State = KnownResourceStates.NotStarted,
                Properties =
                [
                    new("postgres.bin", binDirectory),
                    new("postgres.data", layout.DataDirectory),
                ],
            });
    }

    /// <summary>
    /// Line 8 of postmaster.pid is the server's status ("starting", "ready", "stopping"); pg_ctl
    /// waits on the same line.
    /// </summary>
    private static bool IsReady(string dataDirectory)
    {
        try
        {
            var lines = File.ReadAllLines(Path.Combine(dataDirectory, "postmaster.pid"));
            return lines.Length >= 8 && lines[7].Trim() == "ready";
        }
        catch (IOException)
        {
            return false; // not written yet, or being rewritten
        }
        catch (UnauthorizedAccessException)
        {
            return true; // not ours to read: let the connection attempt decide
        }
    }

    private static readonly string[] AsPostgresUser = ["--reuid=postgres", "--regid=postgres", "--init-groups", "--"];

    private static async Task InitializeDataDirectoryAsync(LocalPostgresLayout layout, ILogger logger, CancellationToken ct)
    {
        Directory.CreateDirectory(layout.BaseDirectory);
        if (layout.RunAsPostgresUser)
            await RunAsync("chown", ["postgres:postgres", layout.BaseDirectory], ct);

        if (layout.IsInitialized)
        {
            logger.LogInformation("Using the existing PostgreSQL data folder {DataDirectory}", layout.DataDirectory);
            return;
        }

        logger.LogInformation("Creating a PostgreSQL data folder in {DataDirectory} (first run)", layout.DataDirectory);
        if (Directory.Exists(layout.DataDirectory))
            Directory.Delete(layout.DataDirectory, recursive: true); // a half-made folder from an interrupted initdb

        // A random superuser password, kept beside the data folder and readable by its owner only.
        await File.WriteAllTextAsync(layout.PasswordFile, Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant(), ct);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(layout.PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (layout.RunAsPostgresUser)
            await RunAsync("chown", ["postgres:postgres", layout.PasswordFile], ct);

        var initdb = Path.Combine(layout.BinDirectory, "initdb");
        string[] initdbArgs =
        [
            initdb, "-D", layout.DataDirectory, "-U", "postgres", "-E", "UTF8", "--no-locale",
            // Password authentication even on loopback: other local users must not get in.
            "--auth=scram-sha-256", $"--pwfile={layout.PasswordFile}",
        ];
        if (layout.RunAsPostgresUser)
            await RunAsync(Setpriv, [.. AsPostgresUser, .. initdbArgs], ct);
        else
            await RunAsync(initdb, initdbArgs[1..], ct);
    }

    private static Task RunAsync(string fileName, string[] args, CancellationToken ct) =>
        ProcessRunner.RunCheckedAsync(fileName, args, TimeSpan.FromMinutes(2), ct);

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
