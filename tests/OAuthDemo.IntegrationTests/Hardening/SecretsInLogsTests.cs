using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using OAuthDemo.IntegrationTests.AuthServer;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Hardening;

/// <summary>
/// With every log category of every service at Debug, a whole session (sign-in through the web
/// client and directly, refresh, API calls, introspection, revocation, sign-out) and clients that
/// wrongly put credentials in URLs leave no secret, password, code or token in any log line.
/// </summary>
[Collection(nameof(RotatingKeysTests))]
public partial class SecretsInLogsTests(RotatingKeysFixture fixture)
{
    /// <summary>A JWS or JWE (access, ID and refresh tokens, codes, client assertions): a header, a dot, more.</summary>
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")]
    private static partial Regex CompactJwt();

    [Fact]
    public async Task No_secret_code_or_token_is_logged_at_debug_level()
    {
        var seen = new List<string>(fixture.Secrets.All);

        // Alice through the web client (PAR, code, tokens on the server) and its notes page (API call).
        using (var web = WebClientBrowser.Open(fixture))
        {
            var webSignIn = await web.SignInAsync(fixture, "alice", fixture.Secrets.AlicePassword);
            seen.Add(webSignIn.Code!);
            using var notesPage = await web.GetAsync("/notes", Ct);
            Assert.Equal(HttpStatusCode.OK, notesPage.StatusCode);
            // A forged callback carrying a code.
            using var forged = await web.GetAsync($"/signin-oidc?code={webSignIn.Code}&state=forged", Ct);
        }

        // A code client directly: code + verifier, refresh, the API, introspection, revocation, sign-out.
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var (tokens, outcome) = await Flows.SignInAsync(fixture, server, client, "openid offline_access notes.read notes.write", Ct);
        var refreshed = await client.RefreshAsync(tokens.RefreshToken!, Ct);
        Assert.NotNull(refreshed.AccessToken);
        seen.AddRange([outcome.Code!, client.Pkce.Verifier, tokens.AccessToken!, tokens.RefreshToken!, tokens.IdToken!,
            refreshed.AccessToken!, refreshed.RefreshToken!, refreshed.IdToken!]);

        using var api = fixture.CreateApiClient();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/notes", refreshed.AccessToken, Ct)).Status);
        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(HttpMethod.Post, "/api/notes", refreshed.AccessToken, new { text = "logged?" }, Ct)).Status);
        var introspection = await server.PostFormAsync("/connect/introspect", [new("token", refreshed.AccessToken!)], ("resource-api", fixture.Secrets.ResourceApiSecret), Ct);
        Assert.Equal(HttpStatusCode.OK, introspection.Status);
        var revocation = await client.RevokeAsync(refreshed.RefreshToken!, "refresh_token", Ct);
        Assert.Equal(HttpStatusCode.OK, revocation.Status);
        using (await server.GetAsync($"/connect/endsession?id_token_hint={refreshed.IdToken}", Ct)) { }

        // Credentials where they must never be: in URLs.
        using (await server.Http.PostAsync($"/connect/token?client_id={AppHostFixture.ImplicitClientId}&client_secret={fixture.Secrets.ImplicitClientSecret}",
                   new FormUrlEncodedContent([new("grant_type", "client_credentials")]), Ct)) { }
        using (await server.GetAsync($"/connect/token?grant_type=refresh_token&refresh_token={tokens.RefreshToken}&client_secret={fixture.Secrets.ImplicitClientSecret}", Ct)) { }
        using (await server.GetAsync($"/connect/userinfo?access_token={refreshed.AccessToken}", Ct)) { }
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/me?access_token={refreshed.AccessToken}"))
        using (await api.SendAsync(request, Ct)) { }
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]) })
        {
            // A Basic header whose "password" is a token: logged headers must not show it either.
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AppHostFixture.ImplicitClientId}:{tokens.AccessToken}")));
            using (await server.Http.SendAsync(request, Ct)) { }
        }

        // Console output reaches the AppHost a moment later.
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        var leaks = new List<string>();
        var lines = 0;
        foreach (var project in AppHostFixture.ServiceProjects)
        {
            foreach (var line in fixture.LogOf(project))
            {
                lines++;
                if (seen.FirstOrDefault(secret => line.Contains(secret, StringComparison.Ordinal)) is { } secret)
                    leaks.Add($"{project}: {secret[..Math.Min(8, secret.Length)]}… in: {Excerpt(line, secret)}");
                else if (CompactJwt().Match(line) is { Success: true } jwt)
                    leaks.Add($"{project}: a JWT in: {Excerpt(line, jwt.Value)}");
            }
        }

        // What the dashboard receives: structured logs with their values, and traces with their attributes.
        var exports = fixture.Telemetry.Payloads.Select(payload => Encoding.Latin1.GetString(payload)).ToList();
        foreach (var export in exports)
        {
            if (seen.FirstOrDefault(secret => export.Contains(secret, StringComparison.Ordinal)) is { } secret)
                leaks.Add($"OTLP export: {secret[..Math.Min(8, secret.Length)]}… in: {Printable(Excerpt(export, secret))}");
            else if (CompactJwt().Match(export) is { Success: true } jwt)
                leaks.Add($"OTLP export: a JWT in: {Printable(Excerpt(export, jwt.Value))}");
        }

        Assert.True(lines > 1000, $"Only {lines} log lines: is Debug logging on?");
        Assert.True(exports.Count > 10, $"Only {exports.Count} OTLP exports: does telemetry reach the receiver?");
        Assert.True(leaks.Count == 0, $"{leaks.Count} log lines carry a secret:\n{string.Join('\n', leaks.Take(20))}");
    }

    private static string Printable(string text) => new([.. text.Select(c => char.IsControl(c) || c > '~' ? '.' : c)]);

    private static string Excerpt(string line, string secret)
    {
        var at = line.IndexOf(secret, StringComparison.Ordinal);
        var start = Math.Max(0, at - 150);
        return line[start..Math.Min(line.Length, at + 20)];
    }
}
