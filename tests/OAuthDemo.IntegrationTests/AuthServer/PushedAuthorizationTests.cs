using System.Net;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

/// <summary>Pushed authorization requests (RFC 9126): required of the web client, open to the others.</summary>
public class PushedAuthorizationTests(AppHostFixture fixture)
{
    private CodeFlowClient WebClient(AuthServerClient server) =>
        new(server, "webclient", fixture.WebClientRedirectUri, fixture.Secrets.WebClientSecret);

    private static string RequestUriOf(TokenResponse pushed)
    {
        Assert.True(pushed.Status == HttpStatusCode.Created, pushed.ToString()); // RFC 9126 §2.2: 201
        var requestUri = pushed.Get("request_uri");
        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", requestUri);
        return requestUri!;
    }

    [Fact]
    public async Task The_web_client_signs_in_through_a_pushed_request()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = WebClient(server);

        var pushed = await client.PushAsync("openid profile notes.read", Ct);
        var requestUri = RequestUriOf(pushed);
        var outcome = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(client.AuthorizeUrlFor(requestUri), Ct);
        var tokens = await client.ExchangeAsync(outcome.Code ?? throw new Xunit.Sdk.XunitException($"No code: {outcome.Status} {outcome.RedirectedTo}"), Ct);

        // The lifetime the server announces (AuthServer:PushedRequestLifetime, 5 minutes by default).
        Assert.InRange(pushed.Body.GetProperty("expires_in").GetInt32(), 290, 300);
        Assert.Equal(client.State, outcome.State);
        Assert.True(tokens.AccessToken is not null, tokens.ToString());
        Assert.Contains("login", outcome.PagesSeen);
    }

    [Fact]
    public async Task A_request_uri_works_once()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = WebClient(server);
        var requestUri = RequestUriOf(await client.PushAsync("openid", Ct));
        var user = server.As("alice", fixture.Secrets.AlicePassword);

        var first = await user.RunAsync(client.AuthorizeUrlFor(requestUri), Ct);
        var again = await user.RunAsync(client.AuthorizeUrlFor(requestUri), Ct);

        Assert.NotNull(first.Code);
        Assert.Null(again.Code);
        Assert.Equal("invalid_request_uri", again.ErrorCode);
    }

    [Fact]
    public async Task A_plain_authorization_request_from_the_web_client_is_refused()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = WebClient(server);

        var outcome = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(client.AuthorizeUrl("openid"), Ct);

        // The error page, never a login: nothing the browser carried is trusted for this client.
        Assert.Null(outcome.Code);
        Assert.Equal(HttpStatusCode.BadRequest, outcome.Status);
        Assert.Equal("invalid_request", outcome.ErrorCode);
        Assert.Empty(outcome.PagesSeen);
    }

    [Fact]
    public async Task A_public_client_may_still_send_a_plain_request()
    {
        using var server = fixture.CreateAuthServerClient();
        var spa = new CodeFlowClient(server, "spa", fixture.SpaRedirectUri, clientSecret: null);

        var outcome = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(spa.AuthorizeUrl("openid"), Ct);

        Assert.True(outcome.Code is not null, $"{outcome.Status} {outcome.RedirectedTo} {outcome.ErrorCode}");
    }

    [Fact]
    public async Task A_push_with_a_wrong_secret_is_refused()
    {
        using var server = fixture.CreateAuthServerClient();
        var impostor = new CodeFlowClient(server, "webclient", fixture.WebClientRedirectUri, "not-the-secret");

        var pushed = await impostor.PushAsync("openid", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, pushed.Status);
        Assert.Equal("invalid_client", pushed.Error);
    }

    [Fact]
    public async Task A_push_with_a_redirect_uri_that_is_not_registered_is_refused()
    {
        using var server = fixture.CreateAuthServerClient();

        var pushed = await WebClient(server).PushAsync("openid", Ct, new Dictionary<string, string?> { ["redirect_uri"] = "https://attacker.example/cb" });

        Assert.Equal(HttpStatusCode.BadRequest, pushed.Status);
        Assert.Equal("invalid_request", pushed.Error);
        Assert.Null(pushed.Get("request_uri"));
    }
}
