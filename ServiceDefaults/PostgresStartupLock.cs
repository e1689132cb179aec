using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// One replica at a time runs its start-up work (migrations, first keys, seeding): work that reads
/// what is there and then creates what is missing must not interleave between replicas.
/// </summary>
public static class PostgresStartupLock
{
    /// <summary>
    /// Waits for the session-level advisory lock <paramref name="key"/>, held on a connection of its
    /// own outside the pool: disposing it (or the process dying) releases the lock, whatever happened.
    /// </summary>
    public static async Task<IAsyncDisposable> AcquireAsync(string connectionString, long key, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var takeLock = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            takeLock.Parameters.AddWithValue("key", key);
            await takeLock.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
