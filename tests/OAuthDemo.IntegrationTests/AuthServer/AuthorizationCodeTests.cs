using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

public class AuthorizationCodeTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Alice_signs_in_consents_and_gets_verified_id_and_access_tokens()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.CodeClient(fixture, server);

        // prompt=consent: the page is shown even if another test already got alice's consent.
        var (tokens, outcome) = await Flows.SignInAsync(fixture, server, client, "openid profile email offline_access notes.read", Ct,
            new Dictionary<string, string?> { ["prompt"] = "consent" });

        Assert.Equal(["login", "consent"], outcome.PagesSeen);
        Assert.StartsWith(client.RedirectUri, outcome.RedirectedTo!.ToString());
        Assert.Equal(client.State, outcome.State);
        Assert.Equal(server.Issuer, outcome.Query["iss"]); // RFC 9207 mix-up defence
        Assert.NotNull(tokens.RefreshToken);

        var id = await server.ValidateJwtAsync(tokens.IdToken!, AppHostFixture.CodeClientId, "JWT", Ct);
        Assert.True(id.IsValid, id.Exception?.Message);
        var idToken = (JsonWebToken)id.SecurityToken;
        Assert.Equal(client.Nonce, idToken.GetClaim("nonce").Value);
        Assert.Equal("Alice Liddell", idToken.GetClaim("name").Value);
        Assert.Equal("alice@example.com", idToken.GetClaim("email").Value);

        var access = await server.ValidateJwtAsync(tokens.AccessToken!, "resource-api", "at+jwt", Ct);
        Assert.True(access.IsValid, access.Exception?.Message);
        var accessToken = (JsonWebToken)access.SecurityToken;
        Assert.Equal(idToken.Subject, accessToken.Subject);
        Assert.NotEqual(AppHostFixture.CodeClientId, accessToken.Subject); // a user token: sub is the user, not the client
        Assert.Equal(AppHostFixture.CodeClientId, accessToken.GetClaim("client_id").Value);
        Assert.Contains("notes.read", accessToken.GetClaim("scope").Value.Split(' '));
        Assert.False(accessToken.TryGetClaim("email", out _)); // personal data stays out of access tokens
    }

    [Fact]
    public async Task Consent_is_remembered_and_asked_again_with_prompt_consent()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.CodeClient(fixture, server);
        var flow = server.As(AppHostFixture.ConsentUser, fixture.Secrets.TestUserPassword);

        var first = await flow.RunAsync(client.AuthorizeUrl("openid notes.write"), Ct);
        var second = await flow.RunAsync(client.AuthorizeUrl("openid notes.write"), Ct);
        var forced = await flow.RunAsync(client.AuthorizeUrl("openid notes.write", new Dictionary<string, string?> { ["prompt"] = "consent" }), Ct);

        Assert.NotNull(first.Code);
        Assert.Contains("consent", first.PagesSeen);
        Assert.NotNull(second.Code);
        Assert.Empty(second.PagesSeen);
        Assert.NotNull(forced.Code);
        Assert.Equal(["consent"], forced.PagesSeen);
    }

    [Fact]
    public async Task Prompt_login_asks_for_the_password_again()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var flow = server.As("alice", fixture.Secrets.AlicePassword);
        await flow.RunAsync(client.AuthorizeUrl("openid"), Ct);

        var again = await flow.RunAsync(client.AuthorizeUrl("openid", new Dictionary<string, string?> { ["prompt"] = "login" }), Ct);

        Assert.NotNull(again.Code);
        Assert.Equal(["login"], again.PagesSeen);
    }

    [Fact]
    public async Task Prompt_none_without_a_session_is_login_required()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);

        var outcome = await server.As("alice", fixture.Secrets.AlicePassword)
            .RunAsync(client.AuthorizeUrl("openid", new Dictionary<string, string?> { ["prompt"] = "none" }), Ct);

        Assert.Equal("login_required", outcome.Error);
        Assert.Empty(outcome.PagesSeen);
    }

    [Fact]
    public async Task A_wrong_code_verifier_is_invalid_grant()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var outcome = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(client.AuthorizeUrl("openid"), Ct);

        var response = await client.ExchangeAsync(outcome.Code!, Ct, verifier: Pkce.Create().Verifier);

        Assert.Equal("invalid_grant", response.Error);
        Assert.Null(response.AccessToken);
    }

    [Fact]
    public async Task A_stolen_code_is_refused_without_its_verifier_and_still_works_for_its_owner()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var outcome = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(client.AuthorizeUrl("openid"), Ct);

        var withoutVerifier = await client.ExchangeWithoutVerifierAsync(outcome.Code!, Ct);
        var wrongVerifier = await client.ExchangeAsync(outcome.Code!, Ct, verifier: Pkce.Create().Verifier);
        var owner = await client.ExchangeAsync(outcome.Code!, Ct);

        // The thief holds the client secret too (Basic authentication here): only the verifier stops them.
        Assert.Equal(HttpStatusCode.BadRequest, withoutVerifier.Status);
        Assert.Contains(withoutVerifier.Error, new[] { "invalid_request", "invalid_grant" });
        Assert.Null(withoutVerifier.AccessToken);
        Assert.Equal("invalid_grant", wrongVerifier.Error);
        // A failed PKCE check does not spend the code: a thief cannot deny its owner the sign-in.
        Assert.NotNull(owner.AccessToken);
    }

    [Fact]
    public async Task A_code_works_once_only()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var outcome = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(client.AuthorizeUrl("openid"), Ct);

        var first = await client.ExchangeAsync(outcome.Code!, Ct);
        var second = await client.ExchangeAsync(outcome.Code!, Ct);

        Assert.NotNull(first.AccessToken);
        Assert.Equal("invalid_grant", second.Error);
    }

    [Fact]
    public async Task A_code_is_bound_to_its_redirect_uri()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var outcome = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(client.AuthorizeUrl("openid"), Ct);

        var response = await client.ExchangeAsync(outcome.Code!, Ct, redirectUri: "http://127.0.0.1:9/other");

        Assert.Equal("invalid_grant", response.Error);
    }

    [Fact]
    public async Task A_missing_code_challenge_is_refused()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);

        var outcome = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(
            client.AuthorizeUrl("openid", new Dictionary<string, string?> { ["code_challenge"] = null, ["code_challenge_method"] = null }), Ct);

        // Checked before the redirect URI is validated, so reported on the server's own page.
        Assert.Equal("invalid_request", outcome.ErrorCode);
        Assert.Contains("code_challenge", outcome.Html);
        Assert.Null(outcome.Code);
    }

    [Fact]
    public async Task The_plain_challenge_method_is_refused()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);

        var outcome = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(
            client.AuthorizeUrl("openid", new Dictionary<string, string?> { ["code_challenge"] = client.Pkce.Verifier, ["code_challenge_method"] = "plain" }), Ct);

        Assert.Equal("invalid_request", outcome.ErrorCode);
        Assert.Contains("code_challenge_method", outcome.Html);
        Assert.Null(outcome.Code);
    }

    [Fact]
    public async Task Denied_consent_redirects_with_access_denied_and_the_state()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.CodeClient(fixture, server);

        var outcome = await server.As("alice", fixture.Secrets.AlicePassword, decision: "deny")
            .RunAsync(client.AuthorizeUrl("openid notes.read notes.write email", new Dictionary<string, string?> { ["prompt"] = "consent" }), Ct);

        Assert.Equal("access_denied", outcome.Error);
        Assert.Equal(client.State, outcome.State);
        Assert.Null(outcome.Code);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/callback/extra")]
    [InlineData("http://127.0.0.1:9/CALLBACK")]
    [InlineData("http://evil.example/callback")]
    public async Task An_unregistered_redirect_uri_gets_an_error_page_not_a_redirect(string redirectUri)
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);

        var outcome = await server.As("alice", fixture.Secrets.AlicePassword)
            .RunAsync(client.AuthorizeUrl("openid", new Dictionary<string, string?> { ["redirect_uri"] = redirectUri }), Ct);

        Assert.Null(outcome.RedirectedTo);
        Assert.Equal(HttpStatusCode.BadRequest, outcome.Status);
        Assert.Contains("redirect_uri", outcome.Html);
        Assert.Contains("This sign-in request cannot be completed", outcome.Html);
        Assert.DoesNotContain("Exception", outcome.Html);
    }

    [Fact]
    public async Task An_unknown_client_gets_an_error_page()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = new CodeFlowClient(server, "no-such-client", "http://127.0.0.1:9/callback", null);

        var outcome = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(client.AuthorizeUrl("openid"), Ct);

        Assert.Null(outcome.RedirectedTo);
        Assert.Equal(HttpStatusCode.BadRequest, outcome.Status);
        Assert.Equal("invalid_request", outcome.ErrorCode);
    }

    [Fact]
    public async Task A_scope_the_client_may_not_ask_for_is_invalid_scope()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);

        var outcome = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(client.AuthorizeUrl("openid stats.read"), Ct);

        Assert.Equal("invalid_scope", outcome.ErrorCode);
        Assert.Null(outcome.Code);
    }

    [Fact]
    public async Task A_wrong_password_shows_the_login_page_again_with_a_message()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);

        var outcome = await server.As(AppHostFixture.WrongPasswordUser, "not-the-password").RunAsync(client.AuthorizeUrl("openid"), Ct);

        Assert.Null(outcome.Code);
        Assert.Equal(["login"], outcome.PagesSeen);
        Assert.Contains("The user name or password is incorrect.", outcome.Html);
    }

    [Fact]
    public async Task One_source_is_stopped_long_before_the_account_locks()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);

        // Five failures (AuthServer:FailedAttempts:SignInsPerUserAndAddress) from this address.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var refused = await server.As(AppHostFixture.LockoutUser, "wrong-password").RunAsync(client.AuthorizeUrl("openid"), Ct);
            Assert.Contains(LoginRefused, refused.Html);
        }
        var outcome = await server.As(AppHostFixture.LockoutUser, fixture.Secrets.TestUserPassword).RunAsync(client.AuthorizeUrl("openid"), Ct);

        // This source now waits, right password or not; the account itself is not locked, so
        // nobody can lock a user out from one address.
        Assert.Null(outcome.Code);
        Assert.Equal(HttpStatusCode.TooManyRequests, outcome.Status);
        Assert.True(outcome.RetryAfter > TimeSpan.Zero, "no Retry-After");
        var lockoutEnd = await Sql.ScalarAsync(await fixture.ConnectionStringOfAsync("authdb"),
            """SELECT "LockoutEnd" FROM "AspNetUsers" WHERE "UserName" = @name""", ("name", AppHostFixture.LockoutUser));
        Assert.True(lockoutEnd is null or DBNull, $"locked until {lockoutEnd}");
    }

    [Fact]
    public async Task An_unknown_user_gets_the_same_answer_as_a_wrong_password()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);

        var outcome = await server.As($"nobody-{Guid.NewGuid():N}", "any-password").RunAsync(client.AuthorizeUrl("openid"), Ct);

        Assert.Null(outcome.Code);
        Assert.Equal(HttpStatusCode.OK, outcome.Status);
        Assert.Contains(LoginRefused, outcome.Html);
    }

    [Fact]
    public async Task A_locked_account_gets_the_same_answer_as_a_wrong_password()
    {
        await Sql.ExecuteAsync(await fixture.ConnectionStringOfAsync("authdb"),
            """UPDATE "AspNetUsers" SET "LockoutEnd" = now() + interval '1 hour' WHERE "UserName" = @name""", ("name", AppHostFixture.LockedUser));
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);

        // Even with the right password: a different answer would tell that the account exists.
        var outcome = await server.As(AppHostFixture.LockedUser, fixture.Secrets.TestUserPassword).RunAsync(client.AuthorizeUrl("openid"), Ct);

        Assert.Null(outcome.Code);
        Assert.Equal(HttpStatusCode.OK, outcome.Status);
        Assert.Contains(LoginRefused, outcome.Html);
    }

    private const string LoginRefused = "The user name or password is incorrect.";

    [Fact]
    public async Task The_login_form_is_protected_by_antiforgery()
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await server.Http.PostAsync("/account/login",
            new FormUrlEncodedContent([new("username", "alice"), new("password", fixture.Secrets.AlicePassword)]), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(server.Cookies.GetAllCookies(), c => c.Name == "oauthdemo.auth");
    }
}
