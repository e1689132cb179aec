using System.Net;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.ResourceApi;

public class NotesTests(AppHostFixture fixture)
{
    private const string Scopes = "openid notes.read notes.write";

    private static async Task<string> AddAsync(HttpClient api, string token, string text)
    {
        var created = await api.SendAsync(HttpMethod.Post, "/api/notes", token, new { text }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Body.GetProperty("id").GetString()!;
    }

    private static async Task<List<string>> ListAsync(HttpClient api, string token)
    {
        var list = await api.GetAsync("/api/notes", token, Ct);
        Assert.Equal(HttpStatusCode.OK, list.Status);
        return list.Body.EnumerateArray().Select(n => n.GetProperty("text").GetString()!).ToList();
    }

    [Fact]
    public async Task A_user_adds_lists_and_deletes_her_notes()
    {
        using var api = fixture.CreateApiClient();
        var token = await Tokens.ForAliceAsync(fixture, Scopes, Ct);
        var text = $"buy milk {Guid.NewGuid():N}";

        var created = await api.SendAsync(HttpMethod.Post, "/api/notes", token, new { text }, Ct);
        var id = created.Body.GetProperty("id").GetString()!;
        var listed = await ListAsync(api, token);
        var deleted = await api.SendAsync(HttpMethod.Delete, $"/api/notes/{id}", token, null, Ct);
        var deletedAgain = await api.SendAsync(HttpMethod.Delete, $"/api/notes/{id}", token, null, Ct);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal($"/api/notes/{id}", created.Location?.ToString());
        Assert.Equal(text, created.Body.GetProperty("text").GetString());
        Assert.Contains(text, listed);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.Status);
        Assert.DoesNotContain(text, await ListAsync(api, token));
    }

    [Fact]
    public async Task Alice_can_neither_read_nor_delete_bobs_notes()
    {
        using var api = fixture.CreateApiClient();
        var alice = await Tokens.ForAliceAsync(fixture, Scopes, Ct);
        var bob = await Tokens.ForBobAsync(fixture, Scopes, Ct);
        var bobsText = $"bob's secret {Guid.NewGuid():N}";
        var bobsNote = await AddAsync(api, bob, bobsText);

        var alicesList = await ListAsync(api, alice);
        var aliceDeletes = await api.SendAsync(HttpMethod.Delete, $"/api/notes/{bobsNote}", alice, null, Ct);

        Assert.DoesNotContain(bobsText, alicesList);
        Assert.Equal(HttpStatusCode.NotFound, aliceDeletes.Status); // not 403: existence is not disclosed
        Assert.Contains(bobsText, await ListAsync(api, bob));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task Empty_text_is_a_validation_problem(string? text)
    {
        using var api = fixture.CreateApiClient();
        var token = await Tokens.ForAliceAsync(fixture, Scopes, Ct);

        var response = await api.SendAsync(HttpMethod.Post, "/api/notes", token, new { text }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.True(response.Body.GetProperty("errors").TryGetProperty("text", out _));
    }

    [Fact]
    public async Task Text_is_limited_to_2000_characters()
    {
        using var api = fixture.CreateApiClient();
        var token = await Tokens.ForAliceAsync(fixture, Scopes, Ct);

        var longest = await api.SendAsync(HttpMethod.Post, "/api/notes", token, new { text = new string('a', 2000) }, Ct);
        var tooLong = await api.SendAsync(HttpMethod.Post, "/api/notes", token, new { text = new string('a', 2001) }, Ct);

        Assert.Equal(HttpStatusCode.Created, longest.Status);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.1", tooLong.Body.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_malformed_body_is_a_bad_request()
    {
        using var api = fixture.CreateApiClient();
        var token = await Tokens.ForAliceAsync(fixture, Scopes, Ct);

        var response = await api.SendAsync(HttpMethod.Post, "/api/notes", token,
            new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task Stats_count_notes_across_users()
    {
        using var api = fixture.CreateApiClient();
        var alice = await Tokens.ForAliceAsync(fixture, Scopes, Ct);
        var worker = await Tokens.ForMachineAsync(fixture, Ct);
        var before = (await api.GetAsync("/api/stats", worker, Ct)).Body.GetProperty("notes").GetInt32();

        await AddAsync(api, alice, "counted");
        var after = await api.GetAsync("/api/stats", worker, Ct);

        Assert.True(after.Body.GetProperty("notes").GetInt32() >= before + 1);
        Assert.True(after.Body.GetProperty("users").GetInt32() >= 1);
    }
}
