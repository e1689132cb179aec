using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using OAuthDemo.WebClient.Authentication;

namespace OAuthDemo.WebClient.FlowInspector;

/// <summary>Adds each refresh of a session, and a refused one, to that session's record.</summary>
public sealed class RefreshRecorder(FlowJournal journal, TokenInspector inspector) : IRefreshObserver
{
    public async Task RefreshedAsync(AuthenticationProperties session, string spentRefreshToken, RefreshedTokens tokens, CancellationToken ct) =>
        await journal.RecordAsync(session, FlowSteps.Refresh,
            [
                KeyValuePair.Create("grant_type", "refresh_token"),
                KeyValuePair.Create("old refresh token", TokenInspector.Fingerprint(spentRefreshToken)),
                KeyValuePair.Create("new refresh token", TokenInspector.Fingerprint(tokens.RefreshToken)),
                KeyValuePair.Create("expires_in", tokens.ExpiresIn.ToString(CultureInfo.InvariantCulture)),
            ],
            ct, tokens: [await inspector.DecodeAsync("New access token", tokens.AccessToken, TokenInspector.ApiAudience, ct)]);

    public Task RefusedAsync(AuthenticationProperties session, string error, CancellationToken ct) =>
        journal.RecordAsync(session, FlowSteps.RefreshRefused, [KeyValuePair.Create("error", error)], ct);
}
