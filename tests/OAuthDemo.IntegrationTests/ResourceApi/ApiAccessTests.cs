using System.Net;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.ResourceApi;

/// <summary>Every row of the README's API table, allowed and refused, with RFC 6750 errors.</summary>
public class ApiAccessTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Me_describes_a_user_token()
    {
        using var api = fixture.CreateApiClient();
        var token = await Tokens.ForAliceAsync(fixture, "openid notes.read", Ct);

        var me = await api.GetAsync("/api/me", token, Ct);

        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal("user", me.Body.GetProperty("kind").GetString());
        Assert.Equal(AppHostFixture.ImplicitClientId, me.Body.GetProperty("clientId").GetString());
        Assert.NotEqual(AppHostFixture.ImplicitClientId, me.Body.GetProperty("subject").GetString());
        Assert.Contains("notes.read", me.Body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Me_describes_a_client_token()
    {
        using var api = fixture.CreateApiClient();
        var token = await Tokens.ForMachineAsync(fixture, Ct);

        var me = await api.GetAsync("/api/me", token, Ct);

        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal("client", me.Body.GetProperty("kind").GetString());
        Assert.Equal(AppHostFixture.MachineClientId, me.Body.GetProperty("subject").GetString());
        Assert.Equal(AppHostFixture.MachineClientId, me.Body.GetProperty("clientId").GetString());
        Assert.Equal(["stats.read"], me.Body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Theory]
    [InlineData("GET", "/api/me")]
    [InlineData("GET", "/api/notes")]
    [InlineData("POST", "/api/notes")]
    [InlineData("DELETE", "/api/notes/0195f0c8-0000-7000-8000-000000000000")]
    [InlineData("GET", "/api/stats")]
    public async Task Every_route_needs_a_token(string method, string path)
    {
        using var api = fixture.CreateApiClient();

        var response = await api.SendAsync(new HttpMethod(method), path, null, method == "POST" ? new { text = "x" } : null, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        // RFC 6750 §3.1: no token at all is a plain challenge, without an error code.
        Assert.StartsWith("Bearer", response.WwwAuthenticate);
        Assert.DoesNotContain("error=", response.WwwAuthenticate);
    }

    [Fact]
    public async Task Notes_refuse_a_user_token_without_notes_read_with_insufficient_scope()
    {
        using var api = fixture.CreateApiClient();
        var token = await Tokens.ForAliceAsync(fixture, "openid notes.write", Ct);

        var response = await api.GetAsync("/api/notes", token, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains("error=\"insufficient_scope\"", response.WwwAuthenticate);
        Assert.Contains("scope=\"notes.read\"", response.WwwAuthenticate);
    }

    [Fact]
    public async Task Adding_a_note_needs_notes_write()
    {
        using var api = fixture.CreateApiClient();
        var token = await Tokens.ForAliceAsync(fixture, "openid notes.read", Ct);

        var response = await api.SendAsync(HttpMethod.Post, "/api/notes", token, new { text = "read-only caller" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains("scope=\"notes.write\"", response.WwwAuthenticate);
    }

    [Fact]
    public async Task Notes_are_for_users_only()
    {
        using var api = fixture.CreateApiClient();
        var token = await Tokens.ForMachineAsync(fixture, Ct);

        var response = await api.GetAsync("/api/notes", token, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains("error=\"insufficient_scope\"", response.WwwAuthenticate);
    }

    [Fact]
    public async Task Stats_answer_a_client_token_with_stats_read()
    {
        using var api = fixture.CreateApiClient();
        var token = await Tokens.ForMachineAsync(fixture, Ct);

        var response = await api.GetAsync("/api/stats", token, Ct);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Body.GetProperty("users").GetInt32() >= 0);
        Assert.True(response.Body.GetProperty("notes").GetInt32() >= 0);
    }

    [Fact]
    public async Task Stats_refuse_a_user_token()
    {
        using var api = fixture.CreateApiClient();
        var token = await Tokens.ForAliceAsync(fixture, "openid notes.read notes.write", Ct);

        var response = await api.GetAsync("/api/stats", token, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains("scope=\"stats.read\"", response.WwwAuthenticate);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_bearer_scheme()
    {
        using var api = fixture.CreateApiClient();

        var document = await api.GetAsync("/openapi/v1.json", null, Ct);

        Assert.Equal(HttpStatusCode.OK, document.Status);
        var scheme = document.Body.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(document.Body.GetProperty("paths").TryGetProperty("/api/notes", out _));
    }
}
