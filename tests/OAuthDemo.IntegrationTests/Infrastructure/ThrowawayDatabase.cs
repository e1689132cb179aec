using Npgsql;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>A new, empty database on the fixture's PostgreSQL server, dropped on dispose.</summary>
public sealed class ThrowawayDatabase : IAsyncDisposable
{
    private readonly string _serverConnection;
    private readonly string _name;

    private ThrowawayDatabase(string serverConnection, string name) => (_serverConnection, _name) = (serverConnection, name);

    public string ConnectionString => $"{_serverConnection};Database={_name}";

    public static async Task<ThrowawayDatabase> CreateAsync(AppHostFixture fixture, string prefix)
    {
        var server = await fixture.App.GetConnectionStringAsync("postgres", Ct) ?? throw new InvalidOperationException("postgres has no connection string");
        var database = new ThrowawayDatabase(server, $"{prefix}_{Guid.NewGuid():N}");
        await ExecuteAsync(server, $"CREATE DATABASE {database._name}");
        return database;
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(Ct))
            rows.Add(read(reader));
        return rows;
    }

    public ValueTask DisposeAsync() => new(ExecuteAsync(_serverConnection, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)"));

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
