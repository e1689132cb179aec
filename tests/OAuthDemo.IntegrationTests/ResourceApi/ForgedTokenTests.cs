using System.Net;
using Microsoft.IdentityModel.Tokens;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.ResourceApi;

/// <summary>Tokens the API must refuse with 401 and error="invalid_token" (RFC 6750 §3.1, RFC 8725).</summary>
public class ForgedTokenTests(AppHostFixture fixture)
{
    private async Task AssertRefusedAsync(string token, string? descriptionPart = null)
    {
        using var api = fixture.CreateApiClient();

        var response = await api.GetAsync("/api/me", token, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains("error=\"invalid_token\"", response.WwwAuthenticate);
        Assert.Contains("error_description=", response.WwwAuthenticate);
        if (descriptionPart is not null)
            Assert.Contains(descriptionPart, response.WwwAuthenticate);
    }

    [Fact]
    public async Task The_genuine_token_is_accepted()
    {
        using var api = fixture.CreateApiClient();
        var token = await Tokens.ForMachineAsync(fixture, Ct);

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/me", token, Ct)).Status);
    }

    [Fact]
    public async Task A_flipped_signature_is_refused() =>
        await AssertRefusedAsync(ForgedTokens.FlipSignature(await Tokens.ForMachineAsync(fixture, Ct)), "signature");

    [Fact]
    public async Task Edited_claims_under_the_original_signature_are_refused()
    {
        using var api = fixture.CreateApiClient();
        var token = await Tokens.ForAliceAsync(fixture, "notes.read", Ct);
        // The control: the genuine token reaches the route and lacks only its scope.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/stats", token, Ct)).Status);

        var edited = await api.GetAsync("/api/stats", ForgedTokens.WithScopeAdded(token, "stats.read"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, edited.Status);
        Assert.Contains("error=\"invalid_token\"", edited.WwwAuthenticate);
        Assert.Contains("signature", edited.WwwAuthenticate);
    }

    [Fact]
    public async Task Alg_none_is_refused() =>
        await AssertRefusedAsync(ForgedTokens.AlgNone(await Tokens.ForMachineAsync(fixture, Ct)));

    [Fact]
    public async Task HS256_signed_with_the_public_key_is_refused()
    {
        var token = await Tokens.ForMachineAsync(fixture, Ct);
        using var server = fixture.CreateAuthServerClient();
        var jwks = new JsonWebKeySet((await server.GetJsonAsync("/.well-known/jwks", Ct)).GetRawText());

        await AssertRefusedAsync(ForgedTokens.Hs256WithPublicKey(token, jwks.Keys[0]));
    }

    [Fact]
    public async Task A_token_signed_by_an_unknown_key_under_a_real_kid_is_refused() =>
        await AssertRefusedAsync(ForgedTokens.SignedByUnknownKey(await Tokens.ForMachineAsync(fixture, Ct)), "signature");

    [Fact]
    public async Task An_id_token_is_not_an_access_token_even_with_the_apis_audience()
    {
        // An ID token's audience is its client: signed in through a client whose id is
        // resource-api, the ID token passes issuer, audience, signature and lifetime checks, so
        // only its type (JWT, not at+jwt, RFC 9068 §4) can refuse it.
        using var server = fixture.CreateAuthServerClient();
        var client = new CodeFlowClient(server, "resource-api", AppHostFixture.ResourceApiRedirectUri, fixture.Secrets.ResourceApiSecret);
        var (tokens, _) = await Flows.SignInAsync(fixture, server, client, "openid", Ct);
        Assert.Equal(["resource-api"], new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(tokens.IdToken).Audiences);

        await AssertRefusedAsync(tokens.IdToken!);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var token = await Tokens.ForClientAsync(fixture, AppHostFixture.ShortLivedClientId, fixture.Secrets.ShortLivedClientSecret, AppHostFixture.OtherApiScope, Ct);

        await AssertRefusedAsync(token, "audience");
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        // This client's tokens live 5 s (per-client AccessTokenLifetime); the API allows 1 s of skew.
        var token = await Tokens.ForClientAsync(fixture, AppHostFixture.ShortLivedClientId, fixture.Secrets.ShortLivedClientSecret, "stats.read", Ct);
        using var api = fixture.CreateApiClient();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/stats", token, Ct)).Status);

        await Task.Delay(TimeSpan.FromSeconds(7), Ct);

        await AssertRefusedAsync(token, "expired");
    }

    [Fact]
    public async Task Garbage_is_refused() => await AssertRefusedAsync("not.a.jwt");
}
