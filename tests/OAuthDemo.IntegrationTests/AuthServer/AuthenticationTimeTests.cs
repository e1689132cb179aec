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
        // Past half its life, the sliding cookie is issued again on the next request. The wait counts
        // from the end of the browser's part (the cookie is older than that), not from after the code
        // exchange: a slow exchange must not let the cookie expire.
        var pastHalfLife = RotatingKeysFixture.SignInLifetime * 0.6;

        var (signIn, signInPages, signedInBy) = await AuthorizeAsync(server, user, maxAge: null);
        await WaitUntilAsync(signedInBy + pastHalfLife);
        var (renewed, renewedPages, renewedBy) = await AuthorizeAsync(server, user, maxAge: null);
        await WaitUntilAsync(renewedBy + pastHalfLife);
        // The cookie, renewed just now, is still good: no password asked...
        var (stillSignedIn, stillSignedInPages, _) = await AuthorizeAsync(server, user, maxAge: null);
        // ...but the password is older than this max_age, so it is asked again.
        var maxAge = (int)(RotatingKeysFixture.SignInLifetime.TotalSeconds * 0.9);
        var (_, maxAgePages, _) = await AuthorizeAsync(server, user, maxAge);

        Assert.Equal(["login"], signInPages);
        Assert.Empty(renewedPages);
        Assert.Empty(stillSignedInPages);
        Assert.Equal(signIn, renewed);
        Assert.Equal(signIn, stillSignedIn);
        Assert.Equal(["login"], maxAgePages);
    }

    /// <summary>
    /// One authorization with the implicit-consent client: the ID token's auth_time, the pages the
    /// user saw, and when the browser's part ended (the sign-in cookie was issued or renewed before).
    /// </summary>
    private async Task<(long AuthTime, IReadOnlyList<string> Pages, DateTimeOffset BrowserDoneAt)> AuthorizeAsync(AuthServerClient server, InteractiveFlow user, int? maxAge)
    {
        var client = Flows.ImplicitConsentClient(fixture, server);
        var outcome = await user.RunAsync(client.AuthorizeUrl("openid", new Dictionary<string, string?> { ["max_age"] = maxAge?.ToString() }), Ct);
        var browserDoneAt = DateTimeOffset.UtcNow;
        Assert.True(outcome.Code is not null, $"No code: {outcome.RedirectedTo} {outcome.Status}");
        var tokens = await client.ExchangeAsync(outcome.Code!, Ct);
        Assert.True(tokens.IdToken is not null, tokens.ToString());
        return (new JsonWebToken(tokens.IdToken).GetPayloadValue<long>("auth_time"), outcome.PagesSeen, browserDoneAt);
    }

    private static async Task WaitUntilAsync(DateTimeOffset moment)
    {
        var left = moment - DateTimeOffset.UtcNow;
        if (left > TimeSpan.Zero)
            await Task.Delay(left, Ct);
    }
}
