using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

public class UserInfoAndEndSessionTests(AppHostFixture fixture)
{
    private static async Task<(HttpStatusCode, JsonElement, string?)> UserInfoAsync(AuthServerClient server, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await server.Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default,
            response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Userinfo_releases_claims_by_scope()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.CodeClient(fixture, server);
        var (full, _) = await Flows.SignInAsync(fixture, server, client, "openid profile email", Ct);
        var (narrow, _) = await Flows.SignInAsync(fixture, server, Flows.CodeClient(fixture, server), "openid", Ct);

        var (status, claims, _) = await UserInfoAsync(server, full.AccessToken!);
        var (_, only, _) = await UserInfoAsync(server, narrow.AccessToken!);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("alice", claims.GetProperty("preferred_username").GetString());
        Assert.Equal("Alice Liddell", claims.GetProperty("name").GetString());
        Assert.Equal("alice@example.com", claims.GetProperty("email").GetString());
        Assert.Equal(claims.GetProperty("sub").GetString(), only.GetProperty("sub").GetString());
        Assert.False(only.TryGetProperty("email", out _));
        Assert.False(only.TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Userinfo_refuses_a_bad_token_with_invalid_token()
    {
        using var server = fixture.CreateAuthServerClient();

        var (status, _, challenge) = await UserInfoAsync(server, "garbage.token.value");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("invalid_token", challenge);
    }

    [Fact]
    public async Task End_session_asks_for_confirmation_signs_out_and_returns_with_state()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.CodeClient(fixture, server);
        var (tokens, _) = await Flows.SignInAsync(fixture, server, client, "openid", Ct);
        var state = Pkce.NewState();

        var logoutUrl = QueryHelpers.AddQueryString("/connect/endsession", new Dictionary<string, string?>
        {
            ["id_token_hint"] = tokens.IdToken,
            ["post_logout_redirect_uri"] = fixture.WebClientPostLogoutRedirectUri,
            ["state"] = state,
        });
        using var confirmation = await server.GetAsync(logoutUrl, Ct);
        var html = await confirmation.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, confirmation.StatusCode);
        Assert.Contains("Sign out", html);
        Assert.NotNull(server.Cookies.GetAllCookies().FirstOrDefault(c => c.Name == "oauthdemo.auth")); // still signed in until confirmed

        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var fields = document.QuerySelectorAll("form input[type=hidden]").OfType<AngleSharp.Html.Dom.IHtmlInputElement>()
            .Select(i => KeyValuePair.Create(i.Name!, i.Value)).ToList();
        using var confirmed = await server.Http.PostAsync("/connect/endsession", new FormUrlEncodedContent(fields), Ct);

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var back = confirmed.Headers.Location!;
        Assert.StartsWith(fixture.WebClientPostLogoutRedirectUri, back.ToString());
        Assert.Equal(state, QueryHelpers.ParseQuery(back.Query)["state"].ToString());

        // Signed out at the auth server: the next authorization asks for the password again.
        var again = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(client.AuthorizeUrl("openid"), Ct);
        Assert.Equal(["login"], again.PagesSeen);
    }

    [Fact]
    public async Task End_session_refuses_an_unregistered_post_logout_redirect_uri()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.CodeClient(fixture, server);
        var (tokens, _) = await Flows.SignInAsync(fixture, server, client, "openid", Ct);

        using var response = await server.GetAsync(QueryHelpers.AddQueryString("/connect/endsession", new Dictionary<string, string?>
        {
            ["id_token_hint"] = tokens.IdToken,
            ["post_logout_redirect_uri"] = "http://evil.example/logged-out",
        }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }
}
