using Npgsql;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>Plain SQL against the system's databases, for tests that look beneath the services.</summary>
public static class Sql
{
    public static async Task<List<T>> QueryAsync<T>(string connectionString, string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(Ct))
            rows.Add(read(reader));
        return rows;
    }

    public static async Task<object?> ScalarAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync(Ct);
    }

    /// <summary>Runs a statement; the count of rows it changed.</summary>
    public static async Task<int> ExecuteAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>
    /// Until disposed, <paramref name="table"/> refuses the rows of <paramref name="operation"/>
    /// (INSERT, UPDATE) for which <paramref name="condition"/> holds, as a lost connection would
    /// (SQLSTATE 08006): the database failing at exactly that step of a request.
    /// </summary>
    public static async Task<IAsyncDisposable> FailingWritesAsync(string connectionString, string table, string operation, string condition)
    {
        var name = $"fail_{Guid.NewGuid():N}";
        await ExecuteAsync(connectionString, $"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF {condition} THEN
                RAISE EXCEPTION 'test: the database went away' USING ERRCODE = '08006';
              END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER {name} BEFORE {operation} ON "{table}" FOR EACH ROW EXECUTE FUNCTION {name}();
            """);
        return new DroppedWhenDisposed(() => ExecuteAsync(connectionString, $"DROP TRIGGER {name} ON \"{table}\"; DROP FUNCTION {name}();"));
    }

    private sealed class DroppedWhenDisposed(Func<Task> drop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await drop();
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        return connection;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command;
    }
}
