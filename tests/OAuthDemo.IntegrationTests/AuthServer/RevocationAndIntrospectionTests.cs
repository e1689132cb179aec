using System.Text.Json;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

public class RevocationAndIntrospectionTests(AppHostFixture fixture)
{
    private static KeyValuePair<string, string> P(string name, string value) => new(name, value);

    private Task<TokenResponse> IntrospectAsync(AuthServerClient server, string token, (string, string)? caller) =>
        server.PostFormAsync("/connect/introspect", [P("token", token)], caller, Ct);

    private (string, string) ResourceApi => ("resource-api", fixture.Secrets.ResourceApiSecret);

    private static bool Active(TokenResponse response)
    {
        Assert.True(response.Body.TryGetProperty("active", out var active), $"Not an introspection response: {response}");
        return active.GetBoolean();
    }

    private async Task<string> WorkerTokenAsync(AuthServerClient server) =>
        (await server.TokenAsync([P("grant_type", "client_credentials"), P("scope", "stats.read")], (AppHostFixture.MachineClientId, fixture.Secrets.MachineClientSecret), Ct)).AccessToken!;

    [Fact]
    public async Task The_api_client_sees_an_access_token_for_its_audience_as_active()
    {
        using var server = fixture.CreateAuthServerClient();
        var token = await WorkerTokenAsync(server);

        var response = await IntrospectAsync(server, token, ResourceApi);

        Assert.True(Active(response), response.ToString());
        Assert.Equal(AppHostFixture.MachineClientId, response.Get("sub"));
        Assert.Equal(AppHostFixture.MachineClientId, response.Get("client_id"));
        Assert.Equal("stats.read", response.Scope);
        Assert.Equal(server.Issuer, response.Get("iss"));
    }

    [Fact]
    public async Task Tokens_for_another_audience_and_garbage_are_inactive()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var (tokens, _) = await Flows.SignInAsync(fixture, server, client, "openid offline_access", Ct);

        var idToken = await IntrospectAsync(server, tokens.IdToken!, ResourceApi);
        var refreshToken = await IntrospectAsync(server, tokens.RefreshToken!, ResourceApi);
        var garbage = await IntrospectAsync(server, "not-a-token", ResourceApi);

        Assert.False(Active(idToken));
        Assert.False(Active(refreshToken));
        Assert.False(Active(garbage));
        // Inactive means nothing else is disclosed (RFC 7662 §2.2).
        Assert.Single(garbage.Body.EnumerateObject());
    }

    [Fact]
    public async Task A_confidential_client_without_introspect_permission_is_refused()
    {
        using var server = fixture.CreateAuthServerClient();
        var token = await WorkerTokenAsync(server);

        var response = await IntrospectAsync(server, token, (AppHostFixture.MachineClientId, fixture.Secrets.MachineClientSecret));

        Assert.Equal("unauthorized_client", response.Error);
    }

    [Fact]
    public async Task A_public_client_cannot_introspect()
    {
        using var server = fixture.CreateAuthServerClient();
        var token = await WorkerTokenAsync(server);

        var response = await server.PostFormAsync("/connect/introspect", [P("token", token), P("client_id", "spa")], null, Ct);

        Assert.Contains(response.Error, new[] { "unauthorized_client", "invalid_client" });
        Assert.False(response.Body.TryGetProperty("active", out _));
    }

    [Fact]
    public async Task Introspection_without_credentials_is_invalid_client()
    {
        using var server = fixture.CreateAuthServerClient();
        var token = await WorkerTokenAsync(server);

        var response = await server.PostFormAsync("/connect/introspect", [P("token", token), P("client_id", "resource-api")], null, Ct);

        Assert.Equal("invalid_client", response.Error);
    }

    [Fact]
    public async Task A_revoked_refresh_token_can_no_longer_be_used()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var (tokens, _) = await Flows.SignInAsync(fixture, server, client, "openid offline_access notes.read", Ct);

        var revoke = await client.RevokeAsync(tokens.RefreshToken!, "refresh_token", Ct);
        var refresh = await client.RefreshAsync(tokens.RefreshToken!, Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, revoke.Status);
        Assert.Equal("invalid_grant", refresh.Error);
    }

    [Fact]
    public async Task A_revoked_access_token_introspects_as_inactive()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var (tokens, _) = await Flows.SignInAsync(fixture, server, client, "openid notes.read", Ct);
        Assert.True(Active(await IntrospectAsync(server, tokens.AccessToken!, ResourceApi)));

        var revoke = await client.RevokeAsync(tokens.AccessToken!, "access_token", Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, revoke.Status);
        Assert.False(Active(await IntrospectAsync(server, tokens.AccessToken!, ResourceApi)));
    }

    [Fact]
    public async Task A_revoked_access_token_still_works_at_the_api_until_it_expires()
    {
        // The API validates JWTs alone (no introspection per call): revocation cannot reach it, which
        // is why access tokens are short-lived. The attack lab shows the same to learners.
        using var server = fixture.CreateAuthServerClient();
        using var api = fixture.CreateApiClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var (tokens, _) = await Flows.SignInAsync(fixture, server, client, "openid notes.read", Ct);

        await client.RevokeAsync(tokens.AccessToken!, "access_token", Ct);

        Assert.False(Active(await IntrospectAsync(server, tokens.AccessToken!, ResourceApi)));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/api/me", tokens.AccessToken!, Ct)).Status);
    }

    [Fact]
    public async Task Revoking_an_unknown_token_succeeds_quietly()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);

        // RFC 7009 §2.2: invalid tokens do not cause an error response.
        var response = await client.RevokeAsync("no-such-token", null, Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.Status);
    }
}
