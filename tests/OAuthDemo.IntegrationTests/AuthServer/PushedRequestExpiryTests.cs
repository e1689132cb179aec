using System.Net;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

/// <summary>A request_uri past its expires_in is refused (RFC 9126 §2.2), on the system with second-scale lifetimes.</summary>
[Collection(nameof(DisruptiveTests))]
public class PushedRequestExpiryTests(RotatingKeysFixture fixture) : IClassFixture<RotatingKeysFixture>
{
    [Fact]
    public async Task An_expired_request_uri_is_refused()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = new CodeFlowClient(server, "webclient", fixture.WebClientRedirectUri, fixture.Secrets.WebClientSecret);
        var pushed = await client.PushAsync("openid", Ct);
        Assert.True(pushed.Status == HttpStatusCode.Created, pushed.ToString());
        Assert.Equal((int)RotatingKeysFixture.PushedRequestLifetime.TotalSeconds, pushed.Body.GetProperty("expires_in").GetInt32(), tolerance: 1);

        await Task.Delay(RotatingKeysFixture.PushedRequestLifetime + TimeSpan.FromSeconds(2), Ct);
        var outcome = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(client.AuthorizeUrlFor(pushed.Get("request_uri")!), Ct);

        Assert.Null(outcome.Code);
        Assert.Equal("invalid_request_uri", outcome.ErrorCode);
    }
}
