using Microsoft.IdentityModel.JsonWebTokens;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

/// <summary>
/// auth_time and max_age count from the moment the password was entered, not from the sign-in
/// cookie's issue time, which sliding renewal moves (OIDC Core §2, §3.1.2.1). On the system whose
/// sign-in cookie lives seconds.
/// </summary>
[Collection(nameof(RotatingKeysTests))]
public class AuthenticationTimeTests(RotatingKeysFixture fixture)
{
    [Fact]
    public async Task Max_age_counts_from_the_password_even_after_the_cookie_was_renewed()
    {
        using var server = fixture.CreateAuthServerClient();
        var user = server.As("alice", fixture.Secrets.AlicePassword);
        // Past half its life, the sliding cookie is issued again on the next request.
        var pastHalfLife = RotatingKeysFixture.SignInLifetime * 0.6;

        var (signIn, signInPages) = await AuthorizeAsync(server, user, maxAge: null);
        await Task.Delay(pastHalfLife, Ct);
        var (renewed, renewedPages) = await AuthorizeAsync(server, user, maxAge: null);
        await Task.Delay(pastHalfLife, Ct);
        // The cookie, renewed just now, is still good: no password asked...
        var (stillSignedIn, stillSignedInPages) = await AuthorizeAsync(server, user, maxAge: null);
        // ...but the password is older than this max_age, so it is asked again.
        var maxAge = (int)(RotatingKeysFixture.SignInLifetime.TotalSeconds * 0.9);
        var (_, maxAgePages) = await AuthorizeAsync(server, user, maxAge);

        Assert.Equal(["login"], signInPages);
        Assert.Empty(renewedPages);
        Assert.Empty(stillSignedInPages);
        Assert.Equal(signIn, renewed);
        Assert.Equal(signIn, stillSignedIn);
        Assert.Equal(["login"], maxAgePages);
    }

    /// <summary>One authorization with the implicit-consent client: the ID token's auth_time, and the pages the user saw.</summary>
    private async Task<(long AuthTime, IReadOnlyList<string> Pages)> AuthorizeAsync(AuthServerClient server, InteractiveFlow user, int? maxAge)
    {
        var client = Flows.ImplicitConsentClient(fixture, server);
        var outcome = await user.RunAsync(client.AuthorizeUrl("openid", new Dictionary<string, string?> { ["max_age"] = maxAge?.ToString() }), Ct);
        Assert.True(outcome.Code is not null, $"No code: {outcome.RedirectedTo} {outcome.Status}");
        var tokens = await client.ExchangeAsync(outcome.Code!, Ct);
        Assert.True(tokens.IdToken is not null, tokens.ToString());
        return (new JsonWebToken(tokens.IdToken).GetPayloadValue<long>("auth_time"), outcome.PagesSeen);
    }
}
