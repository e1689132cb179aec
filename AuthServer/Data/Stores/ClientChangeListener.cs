using Npgsql;
using OpenTelemetry;

namespace OAuthDemo.AuthServer.Data.Stores;

/// <summary>
/// Listens on its own PostgreSQL connection for client changes (announced by a trigger on the
/// clients table, whoever writes) and lets <see cref="ClientSnapshots"/> serve only while
/// notifications demonstrably arrive: every <see cref="ProbeInterval"/> it notifies itself and
/// must hear that probe back within <see cref="ProbeTimeout"/>. A lost or half-open connection, or a
/// pooler that does not pass LISTEN through, stops the serving until listening works again.
/// </summary>
internal sealed partial class ClientChangeListener(IConfiguration configuration, ClientSnapshots snapshots, ILogger<ClientChangeListener> logger) : BackgroundService
{
    public const string Channel = "oauthdemo_clients";

    private const string ProbePrefix = "probe:";
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Untraced: the probe every 10 s per replica is not a request and would only bury those
        // that are; a lost connection is logged.
        using var untraced = SuppressInstrumentationScope.Begin();
        // Its own physical connection, outside the pool (LISTEN is session state); a command that
        // hangs on a dead connection fails within the probe timeout.
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(AuthDatabaseConnection.Name))
        {
            Pooling = false,
            KeepAlive = 10,
            CommandTimeout = (int)ProbeTimeout.TotalSeconds,
        }.ConnectionString;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or InvalidOperationException or TimeoutException or IOException)
            {
                LogListeningLost(logger, ex.Message);
            }
            finally
            {
                snapshots.StopServing();
            }

            try
            {
                await Task.Delay(RetryDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListenAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        string? awaitedProbe = null;
        var probeHeard = false;
        connection.Notification += (_, e) =>
        {
            if (e.Payload.StartsWith(ProbePrefix, StringComparison.Ordinal))
                probeHeard |= e.Payload == awaitedProbe;
            else
                snapshots.Forget(e.Payload is { Length: > 0 } clientId ? clientId : null); // empty: any client may have changed
        };

        await connection.OpenAsync(ct);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
            await listen.ExecuteNonQueryAsync(ct);

        var serving = false;
        while (!ct.IsCancellationRequested)
        {
            awaitedProbe = ProbePrefix + Guid.NewGuid().ToString("N");
            probeHeard = false;
            await using (var probe = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection))
            {
                probe.Parameters.AddWithValue("channel", Channel);
                probe.Parameters.AddWithValue("payload", awaitedProbe);
                await probe.ExecuteNonQueryAsync(ct);
            }

            var deadline = DateTime.UtcNow + ProbeTimeout;
            while (!probeHeard && DateTime.UtcNow < deadline)
                await connection.WaitAsync(Remaining(deadline), ct);
            if (!probeHeard)
                throw new TimeoutException($"a probe notification did not come back within {ProbeTimeout.TotalSeconds:0} s");

            if (!serving)
            {
                snapshots.StartServing();
                serving = true;
                LogListening(logger);
            }

            var nextProbe = DateTime.UtcNow + ProbeInterval;
            while (DateTime.UtcNow < nextProbe)
                await connection.WaitAsync(Remaining(nextProbe), ct);
        }
    }

    private static int Remaining(DateTime until) => Math.Max(1, (int)(until - DateTime.UtcNow).TotalMilliseconds);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Stopped listening for client changes ({Reason}); clients are read from the database until listening works again")]
    private static partial void LogListeningLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Listening for client changes; clients are served from memory")]
    private static partial void LogListening(ILogger logger);
}
