using Microsoft.IdentityModel.JsonWebTokens;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

public class RefreshTokenTests(AppHostFixture fixture)
{
    private async Task<(CodeFlowClient Client, TokenResponse Tokens)> SignInAsync(AuthServerClient server)
    {
        var client = Flows.ImplicitConsentClient(fixture, server);
        var (tokens, _) = await Flows.SignInAsync(fixture, server, client, "openid offline_access notes.read", Ct);
        Assert.NotNull(tokens.RefreshToken);
        return (client, tokens);
    }

    [Fact]
    public async Task Every_refresh_rotates_the_refresh_token()
    {
        using var server = fixture.CreateAuthServerClient();
        var (client, tokens) = await SignInAsync(server);

        var first = await client.RefreshAsync(tokens.RefreshToken!, Ct);
        var second = await client.RefreshAsync(first.RefreshToken!, Ct);

        Assert.NotNull(first.AccessToken);
        Assert.NotNull(second.AccessToken);
        Assert.NotEqual(tokens.RefreshToken, first.RefreshToken);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        var access = await server.ValidateJwtAsync(second.AccessToken!, "resource-api", "at+jwt", Ct);
        Assert.True(access.IsValid, access.Exception?.Message);
    }

    [Fact]
    public async Task Refresh_tokens_stop_at_the_absolute_limit_however_often_they_rotate()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = new CodeFlowClient(server, AppHostFixture.CappedRefreshClientId, AppHostFixture.ImplicitClientRedirectUri, fixture.Secrets.ImplicitClientSecret);
        var (tokens, _) = await Flows.SignInAsync(fixture, server, client, "openid offline_access", Ct);
        // The limit counts from the password sign-in, which the ID token states.
        var signedIn = DateTimeOffset.FromUnixTimeSeconds(new JsonWebToken(tokens.IdToken).GetPayloadValue<long>("auth_time"));
        var limit = signedIn + AppHostFixture.CappedRefreshMaxLifetime;

        // Each rotation is far inside the sliding lifetime (14 days), and works until the limit...
        var refreshToken = tokens.RefreshToken!;
        var rotations = 0;
        while (DateTimeOffset.UtcNow < limit - TimeSpan.FromSeconds(5))
        {
            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
            var rotated = await client.RefreshAsync(refreshToken, Ct);
            Assert.True(rotated.RefreshToken is not null, $"Rotation {rotations + 1} was refused: {rotated}");
            refreshToken = rotated.RefreshToken!;
            rotations++;
        }
        // ...and the newest one, two seconds old, is refused once the sign-in is older than the limit.
        await Task.Delay(limit - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1), Ct);
        var late = await client.RefreshAsync(refreshToken, Ct);

        Assert.True(rotations >= 2, $"Only {rotations} rotations before the limit: the machine was too slow for this test.");
        Assert.Equal("invalid_grant", late.Error);
        Assert.Null(late.AccessToken);
    }

    [Fact]
    public async Task Replaying_a_used_refresh_token_fails_and_revokes_the_whole_family()
    {
        using var server = fixture.CreateAuthServerClient();
        var (client, tokens) = await SignInAsync(server);
        var rotated = await client.RefreshAsync(tokens.RefreshToken!, Ct);
        Assert.NotNull(rotated.RefreshToken);

        // An attacker (or a confused client) presents the old token again.
        var replay = await client.RefreshAsync(tokens.RefreshToken!, Ct);
        // The legitimate holder's newest token is now dead too (RFC 9700 §4.14.2).
        var newest = await client.RefreshAsync(rotated.RefreshToken!, Ct);

        Assert.Equal("invalid_grant", replay.Error);
        Assert.Null(replay.AccessToken);
        Assert.Equal("invalid_grant", newest.Error);
        Assert.Null(newest.AccessToken);
    }

    [Fact]
    public async Task A_replay_revokes_the_sign_in_itself_so_even_a_token_stored_later_is_refused()
    {
        using var server = fixture.CreateAuthServerClient();
        var (client, tokens) = await SignInAsync(server);
        var signIn = new JsonWebToken(tokens.AccessToken).GetClaim("oi_au_id").Value;
        await client.RefreshAsync(tokens.RefreshToken!, Ct);

        await client.RefreshAsync(tokens.RefreshToken!, Ct); // replay

        // The sign-in's (ad-hoc) authorization is revoked, not only the tokens stored so far:
        // a token of it that was still being written, or is presented later, is refused as well.
        var status = await Sql.ScalarAsync(await fixture.ConnectionStringOfAsync("authdb"),
            "SELECT \"Status\" FROM \"OpenIddictAuthorizations\" WHERE \"Id\" = @id", ("id", signIn));
        Assert.Equal("revoked", status);

        // The user's consent is a separate authorization: signing in again still works.
        var (_, again) = await SignInAsync(server);
        Assert.NotNull(again.AccessToken);
    }

    [Fact]
    public async Task A_replay_in_one_sign_in_leaves_another_sign_in_alone()
    {
        using var server = fixture.CreateAuthServerClient();
        var (client, victim) = await SignInAsync(server);
        using var otherBrowser = fixture.CreateAuthServerClient();
        var (otherClient, other) = await SignInAsync(otherBrowser);

        await client.RefreshAsync(victim.RefreshToken!, Ct);
        await client.RefreshAsync(victim.RefreshToken!, Ct); // replay: revokes that family only

        var stillFine = await otherClient.RefreshAsync(other.RefreshToken!, Ct);
        Assert.NotNull(stillFine.AccessToken);
    }

    [Fact]
    public async Task A_refresh_token_belongs_to_its_client()
    {
        using var server = fixture.CreateAuthServerClient();
        var (_, tokens) = await SignInAsync(server);
        var thief = Flows.CodeClient(fixture, server);

        var response = await thief.RefreshAsync(tokens.RefreshToken!, Ct);

        Assert.Equal("invalid_grant", response.Error);
    }
}
