using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OAuthDemo.IntegrationTests.AuthServer;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Hardening;

/// <summary>
/// Failed sign-ins and failed client authentications are limited per source (429 with
/// Retry-After), successes never count, the count is shared by both replicas, and the limit passes
/// with its window. On the system with low, short limits (<see cref="RotatingKeysFixture"/>), where
/// nothing else fails a sign-in.
/// </summary>
[Collection(nameof(RotatingKeysTests))]
public class FailedAttemptLimitTests(RotatingKeysFixture fixture)
{
    private const string Refused = "The user name or password is incorrect.";

    /// <summary>How long until every replica knows what another one blocked (it reads them every second).</summary>
    private static readonly TimeSpan Spread = TimeSpan.FromSeconds(1.5);

    private async Task<FlowOutcome> SignInAsync(string user, string password)
    {
        using var server = fixture.CreateAuthServerClient();
        return await server.As(user, password).RunAsync(Flows.ImplicitConsentClient(fixture, server).AuthorizeUrl("openid"), Ct);
    }

    [Fact]
    public async Task Failed_sign_ins_are_limited_per_user_and_per_address()
    {
        // One user name from one address: the fourth attempt waits, even with a password.
        var guessed = $"nobody-{Guid.NewGuid():N}";
        for (var attempt = 0; attempt < RotatingKeysFixture.SignInsPerUserAndAddress; attempt++)
            Assert.Contains(Refused, (await SignInAsync(guessed, "guess")).Html);
        await Task.Delay(Spread, Ct);
        var stopped = await SignInAsync(guessed, "guess");
        Assert.Equal(HttpStatusCode.TooManyRequests, stopped.Status);
        Assert.InRange(stopped.RetryAfter!.Value, TimeSpan.FromSeconds(1), RotatingKeysFixture.FailedAttemptWindow);

        // Another user from the same address is not held up by that user name's failures...
        Assert.NotNull((await SignInAsync("bob", fixture.Secrets.BobPassword)).Code);

        // ...until the address has failed too often, whatever the user names (password spraying).
        for (var attempt = RotatingKeysFixture.SignInsPerUserAndAddress; attempt < RotatingKeysFixture.SignInsPerAddress; attempt++)
            Assert.Contains(Refused, (await SignInAsync($"nobody-{Guid.NewGuid():N}", "guess")).Html);
        await Task.Delay(Spread, Ct);
        var sprayStopped = await SignInAsync("alice", fixture.Secrets.AlicePassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, sprayStopped.Status);
        Assert.Null(sprayStopped.Code);

        // The limit passes with its window.
        await Task.Delay(sprayStopped.RetryAfter!.Value + TimeSpan.FromSeconds(1), Ct);
        Assert.NotNull((await SignInAsync("alice", fixture.Secrets.AlicePassword)).Code);
    }

    [Fact]
    public async Task Failed_client_authentications_are_limited_per_client_and_address()
    {
        using var server = fixture.CreateAuthServerClient();
        async Task<(HttpStatusCode Status, string Body, TimeSpan? RetryAfter)> TokenAsync(string clientId, string secret)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
            {
                Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", "stats.read")]),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
            using var response = await server.Http.SendAsync(request, Ct);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response.Headers.RetryAfter?.Delta);
        }

        var client = AppHostFixture.MachineClientId;
        for (var attempt = 0; attempt < RotatingKeysFixture.ClientAuthenticationsPerClientAndAddress; attempt++)
            Assert.Contains("invalid_client", (await TokenAsync(client, "guessed-secret")).Body);
        await Task.Delay(Spread, Ct);

        // The guessed client now waits, right secret or not; another client does not.
        var stopped = await TokenAsync(client, fixture.Secrets.MachineClientSecret);
        var other = await TokenAsync(AppHostFixture.ChangingClientId, fixture.Secrets.ChangingClientSecret);
        Assert.Equal(HttpStatusCode.TooManyRequests, stopped.Status);
        Assert.Contains("temporarily_unavailable", stopped.Body);
        Assert.NotNull(stopped.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, other.Status);

        // Successes never count: many in a row are all served.
        for (var request = 0; request < 3 * RotatingKeysFixture.ClientAuthenticationsPerClientAndAddress; request++)
            Assert.Equal(HttpStatusCode.OK, (await TokenAsync(AppHostFixture.ChangingClientId, fixture.Secrets.ChangingClientSecret)).Status);

        await Task.Delay(stopped.RetryAfter!.Value + TimeSpan.FromSeconds(1), Ct);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(client, fixture.Secrets.MachineClientSecret)).Status);
    }
}
