using Npgsql;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

public class KeyCreationRaceTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Two_instances_starting_together_on_a_new_database_create_exactly_one_key_of_each_kind()
    {
        var serverConnection = await fixture.App.GetConnectionStringAsync("postgres", Ct) ?? throw new InvalidOperationException("postgres has no connection string");
        var database = $"keyrace_{Guid.NewGuid():N}";
        await ExecuteAsync(serverConnection, $"CREATE DATABASE {database}");
        try
        {
            var settings = new Dictionary<string, string> { ["ConnectionStrings__authdb"] = $"{serverConnection};Database={database}" };
            await using var first = AuthServerProcess.Start(settings);
            await using var second = AuthServerProcess.Start(settings);

            // Both migrate, follow the key schedule and seed, then listen.
            await Task.WhenAll(
                first.WaitForOutputAsync("Now listening on", TimeSpan.FromSeconds(120), Ct),
                second.WaitForOutputAsync("Now listening on", TimeSpan.FromSeconds(120), Ct));

            await using var db = new NpgsqlConnection($"{serverConnection};Database={database}");
            await db.OpenAsync(Ct);
            await using var count = new NpgsqlCommand("SELECT \"Use\", count(*) FROM \"TokenKeys\" GROUP BY \"Use\" ORDER BY \"Use\"", db);
            await using var reader = await count.ExecuteReaderAsync(Ct);
            var keys = new Dictionary<string, long>();
            while (await reader.ReadAsync(Ct))
                keys[reader.GetString(0)] = reader.GetInt64(1);

            Assert.Equal(new Dictionary<string, long> { ["enc"] = 1, ["sig"] = 1, ["srv-sig"] = 1 }, keys);
        }
        finally
        {
            await ExecuteAsync(serverConnection, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
