using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

/// <summary>
/// What makes token issuance cheap must not change what it does: a changed client is seen at once
/// by every instance, a remembered secret lets no wrong one in, and every token is stored before
/// its response is sent.
/// </summary>
public class TokenIssuanceStoreTests(AppHostFixture fixture)
{
    private static KeyValuePair<string, string> P(string name, string value) => new(name, value);

    private Task<TokenResponse> ClientCredentialsAsync(AuthServerClient server, string clientId, string secret) =>
        server.TokenAsync([P("grant_type", "client_credentials"), P("scope", "stats.read")], (clientId, secret), Ct);

    [Fact]
    public async Task A_client_change_announced_by_any_replica_is_seen_at_once()
    {
        using var server = fixture.CreateAuthServerClient();
        var (clientId, secret) = (AppHostFixture.ChangingClientId, fixture.Secrets.ChangingClientSecret);
        Assert.NotNull((await ClientCredentialsAsync(server, clientId, secret)).AccessToken); // the client is now held in memory

        // Any writer (here plain SQL, as another replica's seeding or an operator would): the table's
        // trigger announces the change to every instance, which drop their copy.
        var authDb = await fixture.ConnectionStringOfAsync("authdb");
        await ChangePermissionsAsync(authDb, clientId, from: "\"scp:stats.read\"", to: "\"scp:withdrawn\"");
        try
        {
            Assert.Equal("invalid_scope", await ErrorOnceSeenAsync(server, clientId, secret, expected: "invalid_scope"));
        }
        finally
        {
            await ChangePermissionsAsync(authDb, clientId, from: "\"scp:withdrawn\"", to: "\"scp:stats.read\"");
        }

        Assert.Null(await ErrorOnceSeenAsync(server, clientId, secret, expected: null));
    }

    /// <summary>The token endpoint's error, once it is the expected one or five seconds have passed (a notification crosses a connection).</summary>
    private async Task<string?> ErrorOnceSeenAsync(AuthServerClient server, string clientId, string secret, string? expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var error = (await ClientCredentialsAsync(server, clientId, secret)).Error;
            if (error == expected || DateTime.UtcNow > deadline)
                return error;
            await Task.Delay(TimeSpan.FromMilliseconds(100), Ct);
        }
    }

    private static async Task ChangePermissionsAsync(string authDb, string clientId, string from, string to) =>
        Assert.Equal(1, await Sql.ExecuteAsync(authDb,
            "UPDATE \"OpenIddictApplications\" SET \"Permissions\" = replace(\"Permissions\", @from, @to) WHERE \"ClientId\" = @client",
            ("from", from), ("to", to), ("client", clientId)));

    [Fact]
    public async Task A_wrong_secret_is_refused_after_the_right_one_was_accepted()
    {
        using var server = fixture.CreateAuthServerClient();
        Assert.NotNull((await ClientCredentialsAsync(server, AppHostFixture.MachineClientId, fixture.Secrets.MachineClientSecret)).AccessToken);

        var wrong = await ClientCredentialsAsync(server, AppHostFixture.MachineClientId, fixture.Secrets.MachineClientSecret + "x");

        Assert.Equal("invalid_client", wrong.Error);
        Assert.NotNull((await ClientCredentialsAsync(server, AppHostFixture.MachineClientId, fixture.Secrets.MachineClientSecret)).AccessToken);
    }

    [Fact]
    public async Task Every_token_of_many_concurrent_requests_is_stored_before_its_response()
    {
        using var server = fixture.CreateAuthServerClient();

        // Concurrent requests share batched writes; each token must be in the database by the time
        // its response arrives, which introspection (it reads the stored entry) shows.
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => ClientCredentialsAsync(server, AppHostFixture.MachineClientId, fixture.Secrets.MachineClientSecret)));
        var tokens = responses.Select(r => r.AccessToken ?? throw new InvalidOperationException(r.ToString())).ToList();

        var ids = tokens.Select(t => new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(t).GetClaim("oi_tkn_id").Value).ToArray();
        var stored = await Sql.ScalarAsync(await fixture.ConnectionStringOfAsync("authdb"), "SELECT count(*) FROM \"OpenIddictTokens\" WHERE \"Id\" = ANY(@ids)", ("ids", ids));
        Assert.Equal(40L, stored);

        var introspected = await Task.WhenAll(tokens.Take(5).Select(token =>
            server.PostFormAsync("/connect/introspect", [P("token", token)], ("resource-api", fixture.Secrets.ResourceApiSecret), Ct)));
        Assert.All(introspected, r => Assert.True(r.Body.GetProperty("active").GetBoolean(), r.ToString()));
    }
}
