using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

public class ClientCredentialsTests(AppHostFixture fixture)
{
    private static KeyValuePair<string, string> P(string name, string value) => new(name, value);

    [Fact]
    public async Task Basic_authentication_gets_an_at_jwt_that_verifies_against_the_jwks()
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await server.TokenAsync([P("grant_type", "client_credentials"), P("scope", "stats.read")], (AppHostFixture.MachineClientId, fixture.Secrets.MachineClientSecret), Ct);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Bearer", response.Get("token_type"));
        Assert.Null(response.RefreshToken); // no refresh token for a machine grant
        var validation = await server.ValidateJwtAsync(response.AccessToken!, "resource-api", "at+jwt", Ct);
        Assert.True(validation.IsValid, validation.Exception?.Message);

        var jwt = (JsonWebToken)validation.SecurityToken;
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal(server.Issuer, jwt.Issuer);
        Assert.Equal(AppHostFixture.MachineClientId, jwt.Subject); // sub = client id for client credentials
        Assert.Equal(AppHostFixture.MachineClientId, jwt.GetClaim("client_id").Value);
        Assert.Equal("stats.read", jwt.GetClaim("scope").Value);
        Assert.Equal(["resource-api"], jwt.Audiences);
        Assert.False(string.IsNullOrEmpty(jwt.Id)); // jti
        Assert.True(jwt.TryGetPayloadValue<long>("nbf", out var nbf) && jwt.TryGetPayloadValue<long>("iat", out var iat) && nbf <= iat + 1);
        var lifetime = jwt.ValidTo - jwt.IssuedAt;
        Assert.InRange(lifetime, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15)); // AccessTokenLifetime default
    }

    [Fact]
    public async Task Post_authentication_works_too()
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await server.TokenAsync(
            [P("grant_type", "client_credentials"), P("client_id", AppHostFixture.MachineClientId), P("client_secret", fixture.Secrets.MachineClientSecret), P("scope", "stats.read")], null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.NotNull(response.AccessToken);
    }

    [Fact]
    public async Task Wrong_secret_is_invalid_client()
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await server.TokenAsync([P("grant_type", "client_credentials"), P("scope", "stats.read")], (AppHostFixture.MachineClientId, "not-the-secret"), Ct);

        Assert.Equal("invalid_client", response.Error);
        Assert.Null(response.AccessToken);
    }

    [Fact]
    public async Task Unknown_client_is_invalid_client()
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await server.TokenAsync([P("grant_type", "client_credentials")], ("no-such-client", "whatever"), Ct);

        Assert.Equal("invalid_client", response.Error);
    }

    [Fact]
    public async Task A_scope_the_client_is_not_registered_for_is_invalid_scope()
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await server.TokenAsync([P("grant_type", "client_credentials"), P("scope", "notes.read")], (AppHostFixture.MachineClientId, fixture.Secrets.MachineClientSecret), Ct);

        Assert.Equal("invalid_scope", response.Error);
        Assert.Null(response.AccessToken);
    }

    [Fact]
    public async Task An_unknown_scope_is_invalid_scope()
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await server.TokenAsync([P("grant_type", "client_credentials"), P("scope", "admin.everything")], (AppHostFixture.MachineClientId, fixture.Secrets.MachineClientSecret), Ct);

        Assert.Equal("invalid_scope", response.Error);
    }

    [Fact]
    public async Task A_client_without_the_grant_is_unauthorized_client()
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await server.TokenAsync([P("grant_type", "client_credentials")], ("webclient", fixture.Secrets.WebClientSecret), Ct);

        Assert.Equal("unauthorized_client", response.Error);
    }

    [Fact]
    public async Task A_public_client_cannot_use_client_credentials()
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await server.TokenAsync([P("grant_type", "client_credentials"), P("client_id", "spa")], null, Ct);

        // A public client has no credentials to present: the required secret is missing.
        Assert.Equal("invalid_request", response.Error);
        Assert.Contains("client_secret", response.ErrorDescription);
        Assert.Null(response.AccessToken);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("implicit")]
    [InlineData("urn:ietf:params:oauth:grant-type:device_code")]
    public async Task Grants_that_are_not_offered_are_unsupported_grant_type(string grantType)
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await server.TokenAsync(
            [P("grant_type", grantType), P("username", "alice"), P("password", fixture.Secrets.AlicePassword)], ("webclient", fixture.Secrets.WebClientSecret), Ct);

        Assert.Equal("unsupported_grant_type", response.Error);
    }
}
