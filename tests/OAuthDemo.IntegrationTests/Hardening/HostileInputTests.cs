using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Html.Parser;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Hardening;

/// <summary>
/// Every parameter of every auth-server endpoint and of the API, sent as a hostile client would:
/// missing, duplicated, empty, 10 KB, 1 MB, with a NUL, invalid UTF-8, bad percent-encoding, CRLF,
/// a script or SQL (no 1 MB query strings: 10 KB is already past the request-line limit); and JSON,
/// XML or multipart where a form is expected (a form or XML where JSON is). Each answer must be below 500, must not echo the script unescaped, and must not let CRLF
/// into a header. One test per endpoint; each writes how many cases it ran.
/// </summary>
public class HostileInputTests(AppHostFixture fixture)
{
    private const string Script = "<script>alert(1)</script>";

    /// <summary>Each variant turns a parameter's value (already percent-encoded) into its hostile form; null leaves it out.</summary>
    private static readonly (string Name, Func<string, string?> Encode)[] Variants =
    [
        ("missing", _ => null),
        ("duplicated", v => v), // sent twice, see Form
        ("empty", _ => ""),
        ("10 KB", _ => new string('a', 10 * 1024)),
        ("1 MB", _ => new string('a', 1024 * 1024)),
        ("NUL", v => v + "%00"),
        ("invalid UTF-8", v => v + "%C3%28%FF"),
        ("bad percent-encoding", v => v + "%zz%"),
        ("CRLF", v => v + "%0D%0ASet-Cookie:%20injected%3D1"),
        ("script", _ => Uri.EscapeDataString(Script)),
        ("SQL", _ => Uri.EscapeDataString("' OR 1=1--")),
    ];

    private sealed record Endpoint(string Name, HttpMethod Method, string Path, IReadOnlyList<(string Key, string Value)> Parameters,
        (string Id, string Secret)? Basic = null, IReadOnlyList<(string Key, string Value)>? Fixed = null);

    private readonly List<string> _failures = [];
    private int _cases;

    [Fact]
    public async Task Token_endpoint()
    {
        var m2m = (AppHostFixture.MachineClientId, fixture.Secrets.MachineClientSecret);
        var code = (AppHostFixture.ImplicitClientId, fixture.Secrets.ImplicitClientSecret);
        await RunAsync(new Endpoint("token (client credentials)", HttpMethod.Post, "/connect/token",
            [("grant_type", "client_credentials"), ("client_id", m2m.MachineClientId), ("client_secret", m2m.Item2), ("scope", "stats.read")]));
        await RunAsync(new Endpoint("token (authorization code)", HttpMethod.Post, "/connect/token",
            [("grant_type", "authorization_code"), ("client_id", code.ImplicitClientId), ("client_secret", code.Item2), ("code", "some-code"),
             ("code_verifier", new string('v', 43)), ("redirect_uri", AppHostFixture.ImplicitClientRedirectUri)]));
        await RunAsync(new Endpoint("token (refresh)", HttpMethod.Post, "/connect/token",
            [("grant_type", "refresh_token"), ("refresh_token", "some-refresh-token"), ("scope", "openid")], Basic: code));
        await RunAsync(new Endpoint("token (client assertion)", HttpMethod.Post, "/connect/token",
            [("grant_type", "client_credentials"), ("client_assertion_type", ClientAssertion.Type),
             ("client_assertion", ClientAssertion.Create(fixture.Secrets.AssertionClientKey, AppHostFixture.AssertionClientId, fixture.CreateAuthServerClient().Issuer))]));
        Report();
    }

    [Fact]
    public async Task Authorization_and_pushed_authorization_endpoints()
    {
        (string, string)[] request =
        [
            ("client_id", AppHostFixture.ImplicitClientId), ("response_type", "code"), ("redirect_uri", AppHostFixture.ImplicitClientRedirectUri),
            ("scope", "openid"), ("state", "some-state"), ("nonce", "some-nonce"), ("code_challenge", Pkce.Create().Challenge),
            ("code_challenge_method", "S256"), ("prompt", "consent"), ("max_age", "600"),
        ];
        await RunAsync(new Endpoint("authorize", HttpMethod.Get, "/connect/authorize", request));
        await RunAsync(new Endpoint("authorize (request_uri)", HttpMethod.Get, "/connect/authorize",
            [("client_id", "webclient"), ("request_uri", "urn:ietf:params:oauth:request_uri:unknown")]));
        await RunAsync(new Endpoint("par", HttpMethod.Post, "/connect/par", [.. request, ("client_secret", fixture.Secrets.ImplicitClientSecret)]));
        Report();
    }

    [Fact]
    public async Task Revocation_introspection_userinfo_and_end_session_endpoints()
    {
        await RunAsync(new Endpoint("revoke", HttpMethod.Post, "/connect/revoke",
            [("token", "some-token"), ("token_type_hint", "refresh_token"), ("client_id", AppHostFixture.ImplicitClientId),
             ("client_secret", fixture.Secrets.ImplicitClientSecret)]));
        await RunAsync(new Endpoint("introspect", HttpMethod.Post, "/connect/introspect",
            [("token", "some-token"), ("token_type_hint", "access_token"), ("client_id", "resource-api"), ("client_secret", fixture.Secrets.ResourceApiSecret)]));
        await RunAsync(new Endpoint("userinfo", HttpMethod.Get, "/connect/userinfo", [("access_token", "some-token")]));
        await RunAsync(new Endpoint("endsession", HttpMethod.Get, "/connect/endsession",
            [("id_token_hint", "some-id-token"), ("post_logout_redirect_uri", fixture.WebClientPostLogoutRedirectUri), ("state", "some-state"),
             ("client_id", "webclient")]));
        Report();
    }

    [Fact]
    public async Task Login_form()
    {
        using var server = fixture.CreateAuthServerClient();
        var page = await server.Http.GetStringAsync("/account/login", Ct);
        var antiforgery = new HtmlParser().ParseDocument(page).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        // Unknown user names, so no account's failure count moves.
        await RunAsync(new Endpoint("login", HttpMethod.Post, "/account/login",
            [("username", $"nobody-{Guid.NewGuid():N}"), ("password", "some-password"), ("ReturnUrl", "/connect/authorize?client_id=x")],
            Fixed: [("__RequestVerificationToken", antiforgery)]), server);
        Report();
    }

    [Fact]
    public async Task Api_endpoints()
    {
        var token = await Tokens.ForAliceAsync(fixture, "openid notes.read notes.write", Ct);
        using var api = fixture.CreateApiClient();
        string[] texts =
        [
            "", new string('a', 10 * 1024), new string('a', 1024 * 1024), "a\u0000b", "line\r\nSet-Cookie: injected=1", Script, "' OR 1=1--",
        ];
        var bodies = new List<(string Name, HttpContent? Content)>
        {
            ("missing body", null),
            ("missing text", Json("{}")),
            ("duplicated text", Json("""{"text":"a","text":"b"}""")),
            ("text not a string", Json("""{"text":{"nested":[1,2,3]}}""")),
            ("invalid UTF-8", new ByteArrayContent([.. "{\"text\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8]) { Headers = { ContentType = new("application/json") } }),
            ("not JSON", Json("{\"text\": ")),
            ("form", new FormUrlEncodedContent([new("text", "hello")])),
            ("XML", new StringContent("<note><text>hello</text></note>", Encoding.UTF8, "application/xml")),
            ("multipart", new MultipartFormDataContent { { new StringContent("hello"), "text" } }),
            ("1 MB binary as JSON", Binary("application/json")),
            ("1 MB binary as multipart", Binary("multipart/form-data; boundary=never-sent")),
        };
        bodies.AddRange(texts.Select(t => ($"text: {Describe(t)}", (HttpContent?)System.Net.Http.Json.JsonContent.Create(new { text = t }))));

        foreach (var (name, content) in bodies)
            await CheckAsync($"POST /api/notes {name}", api, new HttpRequestMessage(HttpMethod.Post, "/api/notes") { Content = content }, token);
        foreach (var id in new[] { "%00", "not-a-guid", new string('a', 10 * 1024), "%3Cscript%3E", "'%20OR%201=1--", "%C3%28", "%0D%0A" })
        {
            await CheckAsync($"GET /api/notes/{id[..Math.Min(12, id.Length)]}", api, new HttpRequestMessage(HttpMethod.Get, $"/api/notes/{id}"), token);
            await CheckAsync($"DELETE /api/notes/{id[..Math.Min(12, id.Length)]}", api, new HttpRequestMessage(HttpMethod.Delete, $"/api/notes/{id}"), token);
        }
        foreach (var path in new[] { "/api/me", "/api/notes", "/api/stats" })
        {
            foreach (var bearer in new[] { "", new string('a', 10 * 1024), Script, "' OR 1=1--", "a.b.c" })
                await CheckAsync($"GET {path} bearer {Describe(bearer)}", api, new HttpRequestMessage(HttpMethod.Get, path), bearer);
        }
        Report();

        static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
    }

    /// <summary>Each parameter in each variant, then the whole request as JSON, XML and multipart.</summary>
    private async Task RunAsync(Endpoint endpoint, AuthServerClient? server = null)
    {
        var owned = server is null ? fixture.CreateAuthServerClient() : null;
        server ??= owned!;
        try
        {
            var encoded = endpoint.Parameters.Select(p => (p.Key, Value: Uri.EscapeDataString(p.Value))).ToList();
            foreach (var (key, _) in endpoint.Parameters)
            {
                foreach (var (variant, encode) in Variants)
                {
                    // A query string cannot be 1 MB: past 10 KB (already over the 8 KB request-line
                    // limit, answered 414) the server may just close the connection.
                    if (endpoint.Method == HttpMethod.Get && variant == "1 MB")
                        continue;
                    var pairs = new List<string>();
                    foreach (var (name, value) in encoded.Concat((endpoint.Fixed ?? []).Select(f => (f.Key, Value: Uri.EscapeDataString(f.Value)))))
                    {
                        if (name != key)
                        {
                            pairs.Add($"{name}={value}");
                            continue;
                        }
                        if (encode(value) is not { } hostile)
                            continue;
                        pairs.Add($"{name}={hostile}");
                        if (variant == "duplicated")
                            pairs.Add($"{name}={hostile}");
                    }
                    await CheckAsync($"{endpoint.Name} {key}: {variant}", server.Http, Request(endpoint, string.Join('&', pairs)), basic: endpoint.Basic);
                }
            }

            if (endpoint.Method == HttpMethod.Post)
            {
                var fields = endpoint.Parameters.Concat(endpoint.Fixed ?? []).ToList();
                var json = "{" + string.Join(',', fields.Select(f => $"\"{f.Key}\":\"{f.Value}\"")) + "}";
                var xml = "<request>" + string.Join("", fields.Select(f => $"<{f.Key}>{WebUtility.HtmlEncode(f.Value)}</{f.Key}>")) + "</request>";
                var multipart = new MultipartFormDataContent();
                foreach (var (name, value) in fields)
                    multipart.Add(new StringContent(value), name);
                foreach (var (name, content) in new (string, HttpContent)[]
                         {
                             ("as JSON", new StringContent(json, Encoding.UTF8, "application/json")),
                             ("as XML", new StringContent(xml, Encoding.UTF8, "application/xml")),
                             ("as multipart", multipart),
                             // 1 MB of random bytes under each content type: a multipart body whose boundary never comes makes the form reader throw IOException.
                             ("1 MB binary as a form", Binary("application/x-www-form-urlencoded")),
                             ("1 MB binary as octet-stream", Binary("application/octet-stream")),
                             ("1 MB binary as multipart", Binary("multipart/form-data; boundary=never-sent")),
                         })
                    await CheckAsync($"{endpoint.Name} {name}", server.Http, new HttpRequestMessage(HttpMethod.Post, endpoint.Path) { Content = content }, basic: endpoint.Basic);
            }
        }
        finally
        {
            owned?.Dispose();
        }
    }

    private static ByteArrayContent Binary(string contentType) =>
        new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024 * 1024)) { Headers = { ContentType = MediaTypeHeaderValue.Parse(contentType) } };

    private static HttpRequestMessage Request(Endpoint endpoint, string encodedParameters) =>
        endpoint.Method == HttpMethod.Get
            ? new HttpRequestMessage(HttpMethod.Get, $"{endpoint.Path}?{encodedParameters}")
            : new HttpRequestMessage(HttpMethod.Post, endpoint.Path)
            {
                Content = new StringContent(encodedParameters, Encoding.ASCII, "application/x-www-form-urlencoded"),
            };

    private async Task CheckAsync(string name, HttpClient http, HttpRequestMessage request, string? bearer = null, (string Id, string Secret)? basic = null)
    {
        _cases++;
        using (request)
        {
            if (bearer is not null)
                request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {bearer}");
            if (basic is { } credentials)
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(credentials.Id)}:{Uri.EscapeDataString(credentials.Secret)}")));
            try
            {
                using var response = await http.SendAsync(request, Ct);
                var body = await response.Content.ReadAsStringAsync(Ct);
                if ((int)response.StatusCode >= 500)
                    _failures.Add($"{name}: {(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}");
                else if (body.Contains(Script, StringComparison.Ordinal))
                    _failures.Add($"{name}: the script came back unescaped");
                else if (response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.Contains("injected", StringComparison.Ordinal)))
                    _failures.Add($"{name}: CRLF reached a header");
            }
            catch (HttpRequestException e)
            {
                _failures.Add($"{name}: the connection failed ({e.Message})");
            }
        }
    }

    private void Report()
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"{_cases} hostile cases, {_failures.Count} failed");
        Assert.True(_failures.Count == 0, $"{_failures.Count} of {_cases} cases failed:\n" + string.Join('\n', _failures));
    }

    private static string Describe(string value) => value.Length > 20 ? $"{value.Length} chars" : value.Replace("\0", "NUL").Replace("\r\n", "CRLF");
}
