using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

/// <summary>Signing and encryption keys that rotate while tokens are issued and validated, with nothing failing.</summary>
[Collection(nameof(RotatingKeysTests))]
public class KeyRotationTests(RotatingKeysFixture fixture)
{
    private sealed record Issued(string Token, string Kid, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

    [Fact]
    public async Task Keys_rotate_on_schedule_and_no_token_ever_fails_validation()
    {
        using var server = fixture.CreateAuthServerClient();
        using var api = fixture.CreateApiClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var (signIn, _) = await Flows.SignInAsync(fixture, server, client, "openid offline_access notes.read", Ct);

        var issued = new List<Issued>();
        var failures = new List<string>();
        // Two rotations and a removal fit in this window, wherever in the schedule it starts.
        var until = DateTimeOffset.UtcNow + 2 * RotatingKeysFixture.RotationInterval + TimeSpan.FromSeconds(5);
        var watching = WatchJwksAsync(until);
        while (DateTimeOffset.UtcNow < until)
        {
            var token = new JsonWebToken(await Tokens.ForMachineAsync(fixture, Ct));
            issued.Add(new(token.EncodedToken, token.Kid, DateTimeOffset.UtcNow, token.ValidTo));

            // Every token not yet expired, old key or new, must still be accepted by the API.
            foreach (var live in issued.Where(t => t.ExpiresAt > DateTimeOffset.UtcNow.AddSeconds(2)))
            {
                var response = await api.GetAsync("/api/me", live.Token, Ct);
                if (response.Status != HttpStatusCode.OK)
                    failures.Add($"{DateTimeOffset.UtcNow:HH:mm:ss.f} token by {live.Kid} from {live.IssuedAt:HH:mm:ss.f}: {(int)response.Status} {response.WwwAuthenticate}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);
        }

        var jwks = await watching;
        Assert.Empty(failures);
        var kids = issued.Select(t => t.Kid).Distinct().ToList();
        Assert.True(kids.Count >= 2, $"Only {string.Join(", ", kids)} signed tokens: no rotation was seen.");

        // Keys already published when watching began cannot say when they were published.
        var publishedWhileWatched = kids.Where(kid => !jwks[0].Kids.Contains(kid)).ToList();
        Assert.NotEmpty(publishedWhileWatched);
        foreach (var kid in publishedWhileWatched)
        {
            // Published before it signed: in the JWKS a good part of the pre-publication period
            // before its first token (the instance follows the database every 1.2 s here).
            var published = jwks.First(s => s.Kids.Contains(kid)).At;
            var firstToken = issued.First(t => t.Kid == kid).IssuedAt;
            Assert.True(firstToken - published >= RotatingKeysFixture.PrepublishPeriod / 2,
                $"Key {kid} was published at {published:HH:mm:ss.f} and signed at {firstToken:HH:mm:ss.f}.");
        }

        var removed = kids.Where(kid => jwks.SkipWhile(s => !s.Kids.Contains(kid)).Any(s => !s.Kids.Contains(kid))).ToList();
        Assert.NotEmpty(removed);
        foreach (var kid in removed)
        {
            // It left the JWKS only after the last token it signed had expired.
            var gone = jwks.SkipWhile(s => !s.Kids.Contains(kid)).First(s => !s.Kids.Contains(kid)).At;
            var lastExpiry = issued.Where(t => t.Kid == kid).Max(t => t.ExpiresAt);
            Assert.True(gone >= lastExpiry, $"Key {kid} left the JWKS at {gone:HH:mm:ss.f}, its last token expired at {lastExpiry:HH:mm:ss.f}.");
        }

        // The encryption key rotated too; a refresh token it encrypted before still redeems.
        var refreshed = await client.RefreshAsync(signIn.RefreshToken!, Ct);
        Assert.True(refreshed.AccessToken is not null, $"The refresh token from before the rotations was refused: {refreshed}");

        // Both replicas followed the schedule, yet each rotation made one key of each use: two
        // made by a race would share their activation time.
        var duplicates = await Sql.QueryAsync(await fixture.ConnectionStringOfAsync("authdb"),
            "SELECT \"Use\", \"ActivatesAt\", count(*) FROM \"TokenKeys\" GROUP BY 1, 2 HAVING count(*) > 1", row => row.GetString(0));
        Assert.True(duplicates.Count == 0, "Two keys of one use share an activation time.");
    }

    [Fact]
    public async Task Rotating_now_needs_the_admin_secret_and_tokens_keep_working()
    {
        using var server = fixture.CreateAuthServerClient();
        using var api = fixture.CreateApiClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await RotateAsync(server, secret: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RotateAsync(server, secret: "not-the-secret")).StatusCode);
        var before = new JsonWebToken(await Tokens.ForMachineAsync(fixture, Ct));

        using var rotated = await RotateAsync(server, fixture.Secrets.KeyAdminSecret);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var next = (await rotated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("signingKey").GetString();
        Assert.NotEqual(before.Kid, next);

        // The dashboard command calls the same endpoint with the AppHost's secret; asked again, it
        // keeps the key already on its way.
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        var result = await fixture.App.ResourceCommands.ExecuteCommandAsync(model.Resources.Single(r => r.Name == "authserver"), "rotate-signing-key", Ct);
        Assert.True(result.Success, result.Message);

        // The new key signs once every instance has published it: within two reload intervals here.
        var after = before;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            while (after.Kid != next)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
                after = new JsonWebToken(await Tokens.ForMachineAsync(fixture, Ct));
            }
        }

        // Every replica publishes both keys, and the API takes tokens signed by either.
        foreach (var replica in await fixture.App.WaitForReplicasAsync("authserver", 2, Ct))
        {
            using var onReplica = new AuthServerClient(replica.Endpoint);
            var kids = await JwksKidsAsync(onReplica);
            Assert.Contains(before.Kid, kids); // retired, still published
            Assert.Contains(after.Kid, kids);
        }
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/me", after.EncodedToken, Ct)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/me", before.EncodedToken, Ct)).Status);
    }

    /// <summary>
    /// The keys every replica's JWKS holds, read every 200 ms until <paramref name="until"/>: a key
    /// counts as published once all replicas publish it, and as gone once any of them dropped it.
    /// </summary>
    private async Task<List<(DateTimeOffset At, HashSet<string> Kids)>> WatchJwksAsync(DateTimeOffset until)
    {
        var replicas = (await fixture.App.WaitForReplicasAsync("authserver", 2, Ct)).Select(r => new AuthServerClient(r.Endpoint)).ToList();
        var snapshots = new List<(DateTimeOffset, HashSet<string>)>();
        try
        {
            while (DateTimeOffset.UtcNow < until)
            {
                var at = DateTimeOffset.UtcNow;
                var kids = await JwksKidsAsync(replicas[0]);
                foreach (var replica in replicas.Skip(1))
                    kids.IntersectWith(await JwksKidsAsync(replica));
                snapshots.Add((at, kids));
                await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
            }
        }
        finally
        {
            replicas.ForEach(r => r.Dispose());
        }
        return snapshots;
    }

    private static async Task<HttpResponseMessage> RotateAsync(AuthServerClient server, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/keys/rotate");
        if (secret is not null)
            request.Headers.Add("X-Admin-Secret", secret);
        return await server.Http.SendAsync(request, Ct);
    }

    private static async Task<HashSet<string>> JwksKidsAsync(AuthServerClient server)
    {
        var jwks = await server.GetJsonAsync("/.well-known/jwks", Ct);
        return jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToHashSet(StringComparer.Ordinal);
    }
}
