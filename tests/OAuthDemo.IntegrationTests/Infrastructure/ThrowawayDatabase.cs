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
        var server = await fixture.ConnectionStringOfAsync("postgres");
        var database = new ThrowawayDatabase(server, $"{prefix}_{Guid.NewGuid():N}");
        await Sql.ExecuteAsync(server, $"CREATE DATABASE {database._name}");
        return database;
    }

    public async ValueTask DisposeAsync() => await Sql.ExecuteAsync(_serverConnection, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
}
