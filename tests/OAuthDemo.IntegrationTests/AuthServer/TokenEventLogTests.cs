using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

public class TokenEventLogTests(AppHostFixture fixture)
{
    private async Task<string?> WaitForLogAsync(Func<string, bool> match)
    {
        for (var i = 0; i < 50; i++)
        {
            if (fixture.AuthServerLog.FirstOrDefault(match) is { } line)
                return line;
            await Task.Delay(200, Ct);
        }
        return null;
    }

    [Fact]
    public async Task Issued_refreshed_and_rejected_tokens_are_logged_by_id_never_by_value()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        var (tokens, _) = await Flows.SignInAsync(fixture, server, client, "openid offline_access notes.read", Ct);
        var refreshed = await client.RefreshAsync(tokens.RefreshToken!, Ct);
        var rejected = await client.RefreshAsync(tokens.RefreshToken!, Ct);
        Assert.Equal("invalid_grant", rejected.Error);

        var issued = await WaitForLogAsync(l => l.Contains("Token issued: access_token") && l.Contains(AppHostFixture.ImplicitClientId));
        var rotated = await WaitForLogAsync(l => l.Contains("Token refreshed: refresh_token") && l.Contains(AppHostFixture.ImplicitClientId));
        var refused = await WaitForLogAsync(l => l.Contains("Request rejected at the Token endpoint: invalid_grant") && l.Contains(AppHostFixture.ImplicitClientId));

        Assert.True(issued is not null, $"{fixture.AuthServerLog.Count} lines, e.g.:\n{string.Join('\n', fixture.AuthServerLog.Where(l => l.Contains("Token") || l.Contains("oken")).TakeLast(15))}");
        Assert.Matches("token id [0-9a-f-]{36}", issued);
        Assert.NotNull(rotated);
        Assert.True(refused is not null, string.Join('\n', fixture.AuthServerLog.Where(l => l.Contains("rejected") || l.Contains("invalid_grant")).TakeLast(10)));

        // Wait a moment for the last lines, then make sure no token value ever reached the log.
        await Task.Delay(500, Ct);
        var secrets = new[] { tokens.AccessToken!, tokens.RefreshToken!, tokens.IdToken!, refreshed.AccessToken!, refreshed.RefreshToken!, fixture.Secrets.AlicePassword };
        foreach (var line in fixture.AuthServerLog)
            foreach (var secret in secrets)
                Assert.DoesNotContain(secret, line);
    }

    [Fact]
    public async Task A_failed_sign_in_logs_the_user_id_never_what_was_typed()
    {
        using var server = fixture.CreateAuthServerClient();
        var client = Flows.ImplicitConsentClient(fixture, server);
        // People type passwords into the user name field; neither may reach the log.
        var typedAsUserName = $"pw-in-the-name-{Guid.NewGuid():N}";
        var typedAsPassword = $"wrong-{Guid.NewGuid():N}";

        await server.As(typedAsUserName, typedAsPassword).RunAsync(client.AuthorizeUrl("openid"), Ct);
        await server.As(AppHostFixture.WrongPasswordUser, typedAsPassword).RunAsync(client.AuthorizeUrl("openid"), Ct);

        var unknown = await WaitForLogAsync(l => l.Contains("Sign-in failed for user (unknown user name)"));
        var known = await WaitForLogAsync(l => System.Text.RegularExpressions.Regex.IsMatch(l, "Sign-in failed for user [0-9a-f-]{36}"));
        Assert.NotNull(unknown);
        Assert.NotNull(known);
        Assert.DoesNotContain(fixture.AuthServerLog, line => line.Contains(typedAsUserName) || line.Contains(typedAsPassword));
    }
}
