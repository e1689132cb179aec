namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>Real tokens from the real auth server, for calling the API.</summary>
public static class Tokens
{
    /// <summary>A user's access token through the pages (the harness client needs no consent).</summary>
    public static async Task<string> ForUserAsync(AppHostFixture fixture, string user, string password, string scope, CancellationToken ct)
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var outcome = await server.As(user, password).RunAsync(client.AuthorizeUrl(scope), ct);
        var tokens = await client.ExchangeAsync(outcome.Code ?? throw new InvalidOperationException($"No code: {outcome.Html}"), ct);
        return tokens.AccessToken ?? throw new InvalidOperationException($"No token: {tokens}");
    }

    public static Task<string> ForAliceAsync(AppHostFixture fixture, string scope, CancellationToken ct) =>
        ForUserAsync(fixture, "alice", fixture.Secrets.AlicePassword, scope, ct);

    public static Task<string> ForBobAsync(AppHostFixture fixture, string scope, CancellationToken ct) =>
        ForUserAsync(fixture, "bob", fixture.Secrets.BobPassword, scope, ct);

    public static async Task<string> ForClientAsync(AppHostFixture fixture, string clientId, string secret, string scope, CancellationToken ct)
    {
        using var server = fixture.CreateAuthServerClient();
        var response = await server.TokenAsync([new("grant_type", "client_credentials"), new("scope", scope)], (clientId, secret), ct);
        return response.AccessToken ?? throw new InvalidOperationException($"No token: {response}");
    }

    /// <summary>The tests' machine client asks <paramref name="server"/> for a stats.read token: the whole answer, for tests that count refusals.</summary>
    public static Task<TokenResponse> RequestMachineTokenAsync(this AuthServerClient server, AppHostFixture fixture, CancellationToken ct) =>
        server.TokenAsync([new("grant_type", "client_credentials"), new("scope", "stats.read")], (AppHostFixture.MachineClientId, fixture.Secrets.MachineClientSecret), ct);

    /// <summary>A client-credentials token with stats.read, from the tests' own machine client.</summary>
    public static Task<string> ForMachineAsync(AppHostFixture fixture, CancellationToken ct) =>
        ForClientAsync(fixture, AppHostFixture.MachineClientId, fixture.Secrets.MachineClientSecret, "stats.read", ct);
}
