using System.Net;
using System.Text.Json;

namespace OAuthDemo.WebClient.FlowInspector;

/// <summary>
/// Sits in the OIDC handler's back channel and keeps what the pushed authorization endpoint
/// answered (request_uri, expires_in) for the flow inspector: the handler uses the request_uri
/// but does not surface the answer. It only reads; requests and responses pass unchanged.
/// </summary>
public sealed class PushedAuthorizationObserver(IHttpContextAccessor accessor) : DelegatingHandler
{
    private const string ItemKey = "oauthdemo.par-response";
    private const int MaxAnswerBytes = 64 * 1024;

    public static IReadOnlyList<KeyValuePair<string, string>>? AnswerFor(HttpContext context) =>
        context.Items[ItemKey] as IReadOnlyList<KeyValuePair<string, string>>;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        // Only the pushed authorization endpoint answers 201 Created (RFC 9126 §2.2); token,
        // userinfo and discovery answers pass untouched.
        if (request.Method != HttpMethod.Post || response.StatusCode != HttpStatusCode.Created || accessor.HttpContext is not { } context
            || response.Content.Headers.ContentType?.MediaType != "application/json")
            return response;

        await response.Content.LoadIntoBufferAsync(MaxAnswerBytes, cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("request_uri", out var requestUri))
            {
                var answer = new List<KeyValuePair<string, string>> { new("request_uri", requestUri.ToString()) };
                if (json.RootElement.TryGetProperty("expires_in", out var expiresIn))
                    answer.Add(new("expires_in", expiresIn.ToString()));
                context.Items[ItemKey] = answer;
            }
        }
        catch (JsonException)
        {
            // Not ours to judge: the OIDC handler reads the same answer and reports it.
        }
        return response;
    }
}
