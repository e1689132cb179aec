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

    public static IReadOnlyList<KeyValuePair<string, string>>? AnswerFor(HttpContext context) =>
        context.Items[ItemKey] as IReadOnlyList<KeyValuePair<string, string>>;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.Method == HttpMethod.Post && response.IsSuccessStatusCode && accessor.HttpContext is { } context
            && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            // Only the pushed authorization endpoint answers with a request_uri (RFC 9126 §2.2).
            if (json.RootElement.TryGetProperty("request_uri", out var requestUri))
            {
                var answer = new List<KeyValuePair<string, string>> { new("request_uri", requestUri.ToString()) };
                if (json.RootElement.TryGetProperty("expires_in", out var expiresIn))
                    answer.Add(new("expires_in", expiresIn.ToString()));
                context.Items[ItemKey] = answer;
            }
        }
        return response;
    }
}
