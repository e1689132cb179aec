using System.Net;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

/// <summary>A request_uri past its expires_in is refused (RFC 9126 §2.2), on the system with second-scale lifetimes.</summary>
[Collection(nameof(RotatingKeysTests))]
public class PushedRequestExpiryTests(RotatingKeysFixture fixture)
{
    [Fact]
    public async Task An_expired_request_uri_is_refused()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = new CodeFlowClient(server, "webclient", fixture.WebClientRedirectUri, fixture.Secrets.WebClientSecret);
        var user = server.As("alice", fixture.Secrets.AlicePassword);
        var used = await client.PushAsync("openid", Ct);
        var kept = await client.PushAsync("openid", Ct);
        Assert.True(kept.Status == HttpStatusCode.Created, kept.ToString());
        // The lifetime the server announces, less the time the push took on a busy machine.
        Assert.InRange(kept.Body.GetProperty("expires_in").GetInt32(), 1, (int)RotatingKeysFixture.PushedRequestLifetime.TotalSeconds);

        // At once, a request_uri works (so what fails below fails for its age)...
        var inTime = await user.RunAsync(client.AuthorizeUrlFor(used.Get("request_uri")!), Ct);
        await Task.Delay(RotatingKeysFixture.PushedRequestLifetime + TimeSpan.FromSeconds(2), Ct);
        // ...and past its expires_in it does not.
        var late = await user.RunAsync(client.AuthorizeUrlFor(kept.Get("request_uri")!), Ct);

        Assert.NotNull(inTime.Code);
        Assert.Null(late.Code);
        Assert.Equal("invalid_request_uri", late.ErrorCode);
    }
}
