namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>Short ways to the states many tests start from.</summary>
public static class Flows
{
    /// <summary>A confidential code + PKCE client like the web client, that may send plain authorization requests.</summary>
    public static CodeFlowClient CodeClient(AppHostFixture fixture, AuthServerClient server) =>
        new(server, AppHostFixture.CodeClientId, fixture.WebClientRedirectUri, fixture.Secrets.CodeClientSecret);

    public static CodeFlowClient ImplicitConsentClient(AppHostFixture fixture, AuthServerClient server) =>
        new(server, AppHostFixture.ImplicitClientId, AppHostFixture.ImplicitClientRedirectUri, fixture.Secrets.ImplicitClientSecret);

    public static InteractiveFlow As(this AuthServerClient server, string user, string password, string decision = "allow") =>
        new(server) { UserName = user, Password = password, Decision = decision };

    /// <summary>Signs alice in through the pages and exchanges the code: the whole front and back channel.</summary>
    public static async Task<(TokenResponse Tokens, FlowOutcome Outcome)> SignInAsync(
        AppHostFixture fixture, AuthServerClient server, CodeFlowClient client, string scope, CancellationToken ct,
        IDictionary<string, string?>? overrides = null)
    {
        var outcome = await server.As("alice", fixture.Secrets.AlicePassword).RunAsync(client.AuthorizeUrl(scope, overrides), ct);
        Assert.True(outcome.Code is not null, $"No code: {outcome.RedirectedTo} {outcome.Status} {outcome.Html}");
        var tokens = await client.ExchangeAsync(outcome.Code!, ct);
        Assert.True(tokens.AccessToken is not null, $"No tokens: {tokens}");
        return (tokens, outcome);
    }
}
