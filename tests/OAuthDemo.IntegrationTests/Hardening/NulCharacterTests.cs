using System.Net;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Hardening;

/// <summary>
/// A NUL character (which PostgreSQL refuses in text) in any parameter is the caller's error: a 4xx
/// with a protocol error or a problem document, never a 500, and it never reaches the database.
/// </summary>
public class NulCharacterTests(AppHostFixture fixture)
{
    private const string Nul = "\0";

    public static TheoryData<string> TokenParameters =>
        ["grant_type", "client_id", "client_secret", "code", "code_verifier", "redirect_uri", "refresh_token", "scope"];

    [Theory]
    [MemberData(nameof(TokenParameters))]
    public async Task A_nul_in_a_token_endpoint_parameter_is_invalid_request(string parameter)
    {
        using var server = fixture.CreateAuthServerClient();
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = AppHostFixture.ImplicitClientId,
            ["client_secret"] = fixture.Secrets.ImplicitClientSecret,
            ["code"] = "some-code",
            ["code_verifier"] = new string('v', 43),
            ["redirect_uri"] = AppHostFixture.ImplicitClientRedirectUri,
            ["refresh_token"] = "some-refresh-token",
            ["scope"] = "openid",
        };
        form[parameter] += Nul;

        var response = await server.PostFormAsync("/connect/token", form, null, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_request", response.Error);
    }

    [Theory]
    [InlineData("/connect/revoke", "token")]
    [InlineData("/connect/introspect", "token")]
    public async Task A_nul_at_revocation_and_introspection_is_invalid_request(string endpoint, string parameter)
    {
        using var server = fixture.CreateAuthServerClient();

        var response = await server.PostFormAsync(endpoint, [new(parameter, "abc" + Nul), new("client_id", "resource-api")],
            ("resource-api", fixture.Secrets.ResourceApiSecret), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_request", response.Error);
    }

    [Fact]
    public async Task A_nul_in_the_authorization_request_shows_the_error_page_not_a_500()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);

        using var response = await server.GetAsync(client.AuthorizeUrl("openid" + Nul), Ct);

        // Not redirected: nothing in a request like this is trusted, so the user sees the error page.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task A_nul_in_a_login_form_field_is_a_bad_request_not_a_500()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);

        var outcome = await server.As("alice" + Nul, "password" + Nul).RunAsync(client.AuthorizeUrl("openid"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, outcome.Status);
        Assert.Null(outcome.Code);
    }

    [Fact]
    public async Task A_nul_in_a_note_is_a_400_problem_and_is_not_stored()
    {
        using var api = fixture.CreateApiClient();
        var token = await Tokens.ForBobAsync(fixture, "notes.read notes.write", Ct);

        var response = await api.SendAsync(HttpMethod.Post, "/api/notes", token, new { text = "before" + Nul + "after" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(400, response.Body.GetProperty("status").GetInt32());
        Assert.True(response.Body.GetProperty("errors").TryGetProperty("text", out _));
    }
}
