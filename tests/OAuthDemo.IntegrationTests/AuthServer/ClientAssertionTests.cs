using System.Diagnostics;
using System.Net;
using OAuthDemo.AppHost;
using OAuthDemo.IntegrationTests.Infrastructure;
using OAuthDemo.IntegrationTests.Worker;

namespace OAuthDemo.IntegrationTests.AuthServer;

/// <summary>
/// Signed assertions instead of secrets (private_key_jwt, RFC 7523), as the worker uses them. The
/// requests go as <see cref="AppHostFixture.AssertionClientId"/>, registered like the worker with a
/// key of its own, so that the worker's token count (WorkerTokenCacheTests) stays its own.
/// </summary>
public class ClientAssertionTests(AppHostFixture fixture)
{
    private const string Client = AppHostFixture.AssertionClientId;

    private string Key => fixture.Secrets.AssertionClientKey;

    private async Task<TokenResponse> RequestAsync(AuthServerClient server, string assertion) =>
        await server.TokenAsync(ClientAssertion.ClientCredentials(assertion), basic: null, Ct);

    private static void AssertInvalidClient(TokenResponse response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("invalid_client", response.Error);
        Assert.Null(response.AccessToken);
    }

    [Fact]
    public async Task A_signed_assertion_gets_a_token()
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await RequestAsync(server, ClientAssertion.Create(Key, Client, server.Issuer));

        Assert.True(response.AccessToken is not null, response.ToString());
        var token = await server.ValidateJwtAsync(response.AccessToken!, "resource-api", "at+jwt", Ct);
        Assert.True(token.IsValid, token.Exception?.Message);
        Assert.Equal(Client, token.Claims["client_id"]);
    }

    [Fact]
    public async Task A_replayed_assertion_is_refused_even_by_the_other_replica()
    {
        var replicas = await fixture.App.WaitForReplicasAsync("authserver", 2, Ct);
        using var first = new AuthServerClient(replicas[0].Endpoint);
        using var second = new AuthServerClient(replicas[1].Endpoint);
        // Both replicas answer for the issuer the AppHost set, which is what the audience must name.
        using var server = fixture.CreateAuthServerClient();
        var assertion = ClientAssertion.Create(Key, Client, server.Issuer);

        var accepted = await RequestAsync(first, assertion);
        var replayedElsewhere = await RequestAsync(second, assertion);
        var replayedHere = await RequestAsync(first, assertion);

        Assert.True(accepted.AccessToken is not null, accepted.ToString());
        AssertInvalidClient(replayedElsewhere);
        AssertInvalidClient(replayedHere);
        Assert.Equal("This client assertion has been used already.", replayedElsewhere.ErrorDescription);
    }

    [Fact]
    public async Task An_expired_assertion_is_refused()
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await RequestAsync(server, ClientAssertion.Create(Key, Client, server.Issuer,
            issuedAt: DateTime.UtcNow.AddMinutes(-3), lifetime: TimeSpan.FromMinutes(1)));

        AssertInvalidClient(response);
    }

    [Fact]
    public async Task An_assertion_valid_for_longer_than_five_minutes_is_refused()
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await RequestAsync(server, ClientAssertion.Create(Key, Client, server.Issuer, lifetime: TimeSpan.FromHours(1)));

        AssertInvalidClient(response);
    }

    [Fact]
    public async Task An_assertion_signed_by_another_key_is_refused()
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await RequestAsync(server, ClientAssertion.Create(ClientKey.Create(), Client, server.Issuer));

        AssertInvalidClient(response);
    }

    [Theory]
    [InlineData("https://elsewhere.example/")]
    // Even this server's token endpoint: only its issuer identifier names it unambiguously
    // (the audience rule of the RFC 7523 update, which OpenIddict follows).
    [InlineData("{issuer}connect/token")]
    [InlineData("https://elsewhere.example/connect/token")]
    [InlineData("resource-api")]
    public async Task An_assertion_for_another_audience_is_refused(string audience)
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await RequestAsync(server, ClientAssertion.Create(Key, Client, audience.Replace("{issuer}", server.Issuer)));

        AssertInvalidClient(response);
    }

    [Fact]
    public async Task The_readme_script_signs_an_assertion_the_server_accepts()
    {
        using var server = fixture.CreateAuthServerClient();
        var script = Path.Combine(RepositoryPaths.Root, "tools", "client-assertion.cs");
        var info = new ProcessStartInfo("dotnet", ["run", script, "--", server.Issuer, Client]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["WORKER_CLIENT_KEY"] = Key;

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        var errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        var response = await RequestAsync(server, output.Trim());

        Assert.True(process.ExitCode == 0, errors);
        Assert.True(response.AccessToken is not null, response.ToString());
    }

    [Fact]
    public async Task The_worker_has_no_secret_that_works()
    {
        // As the worker itself: no token is issued, so its count is untouched.
        using var server = fixture.CreateAuthServerClient();

        // Any secret, including the value a run before this change generated: the worker has none.
        var response = await server.TokenAsync([new("grant_type", "client_credentials"), new("scope", "stats.read")], ("worker", "worker-secret"), Ct);

        Assert.Equal("invalid_client", response.Error);
    }

    [Theory]
    [InlineData("no jti")]
    [InlineData("a jti of 101 characters")]
    [InlineData("a control character in the jti")]
    [InlineData("sub other than iss")]
    public async Task A_malformed_assertion_is_refused(string fault)
    {
        using var server = fixture.CreateAuthServerClient();
        var assertion = fault switch
        {
            "no jti" => ClientAssertion.Create(Key, Client, server.Issuer, jwtId: ""),
            "a jti of 101 characters" => ClientAssertion.Create(Key, Client, server.Issuer, jwtId: new string('j', 101)),
            "a control character in the jti" => ClientAssertion.Create(Key, Client, server.Issuer, jwtId: "jti\u0000\n"),
            _ => ClientAssertion.Create(Key, Client, server.Issuer, subject: "worker"),
        };

        AssertInvalidClient(await RequestAsync(server, assertion));
    }

    [Fact]
    public async Task An_assertion_for_another_client_than_the_client_id_sent_is_refused()
    {
        using var server = fixture.CreateAuthServerClient();
        var form = ClientAssertion.ClientCredentials(ClientAssertion.Create(Key, Client, server.Issuer)).Append(new("client_id", "worker"));

        var response = await server.TokenAsync(form, basic: null, Ct);

        Assert.Equal("invalid_client", response.Error);
        Assert.Null(response.AccessToken);
    }

    [Fact]
    public async Task Discovery_names_the_method_and_its_algorithms()
    {
        using var server = fixture.CreateAuthServerClient();

        var discovery = await server.GetJsonAsync("/.well-known/openid-configuration", Ct);

        Assert.Contains("private_key_jwt", discovery.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["ES256", "PS256", "RS256"], discovery.GetProperty("token_endpoint_auth_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task The_running_worker_calls_the_api_with_assertion_tokens()
    {
        var health = await WorkerHealth.ReadAsync(fixture, Ct);
        var issuedToWorker = fixture.AuthServerLog.Count(l => l.Contains("Token issued: access_token for client worker,"));

        Assert.True(health.Successes > 0, health.ToString());
        Assert.True(issuedToWorker > 0, "The auth server issued the worker no token.");
    }
}
