using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

public class KeyCreationRaceTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Two_instances_starting_together_on_a_new_database_create_exactly_one_key_of_each_kind()
    {
        await using var database = await ThrowawayDatabase.CreateAsync(fixture, "keyrace");
        var settings = new Dictionary<string, string> { ["ConnectionStrings__authdb"] = database.ConnectionString };
        await using var first = ServiceProcess.AuthServer(settings);
        await using var second = ServiceProcess.AuthServer(settings);

        // Both migrate, follow the key schedule and seed, then listen.
        await Task.WhenAll(
            first.WaitForOutputAsync("Now listening on", TimeSpan.FromSeconds(120), Ct),
            second.WaitForOutputAsync("Now listening on", TimeSpan.FromSeconds(120), Ct));

        var keys = await Sql.QueryAsync(database.ConnectionString, "SELECT \"Use\", count(*) FROM \"TokenKeys\" GROUP BY \"Use\" ORDER BY \"Use\"",
            row => KeyValuePair.Create(row.GetString(0), row.GetInt64(1)));

        Assert.Equal(new Dictionary<string, long> { ["enc"] = 1, ["sig"] = 1, ["srv-sig"] = 1 }, keys.ToDictionary());
    }
}
