using Microsoft.AspNetCore.Authentication;

namespace OAuthDemo.WebClient.FlowInspector;

/// <summary>
/// Records the session's first call to the API: the request with its bearer token masked, and the
/// API's answer. Sits after <see cref="Authentication.UserAccessTokenHandler"/>, so it sees the
/// request as sent; it only reads.
/// </summary>
public sealed class FirstApiCallRecorder(IHttpContextAccessor accessor, FlowJournal journal) : DelegatingHandler
{
    private const int MaxAnswerBytes = 64 * 1024;
    private const int ShownAnswerCharacters = 400;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (accessor.HttpContext is not { } http || request.Headers.Authorization is not { Scheme: "Bearer", Parameter: { } token })
            return response;

        var session = await http.AuthenticateAsync();
        if (await journal.HasStepAsync(session.Properties, FlowSteps.FirstApiCall, cancellationToken))
            return response;

        await response.Content.LoadIntoBufferAsync(MaxAnswerBytes, cancellationToken);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        await journal.RecordAsync(session.Properties, FlowSteps.FirstApiCall,
            FlowRecordingEvents.Present(
                ("Authorization", $"Bearer {TokenInspector.Mask(token)}"),
                ("status", $"{(int)response.StatusCode} {response.ReasonPhrase}"),
                ("WWW-Authenticate", response.Headers.WwwAuthenticate.ToString()),
                ("answer", answer.Length > ShownAnswerCharacters ? answer[..ShownAnswerCharacters] + "…" : answer)),
            cancellationToken, url: $"{request.Method} {request.RequestUri}");
        return response;
    }
}
