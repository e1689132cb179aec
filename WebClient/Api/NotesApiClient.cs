using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OAuthDemo.WebClient.Api;

public sealed record Note(Guid Id, string Text, DateTimeOffset CreatedAt);

/// <summary>An API answer the page can show: the value, or what went wrong in words.</summary>
public sealed record ApiResult<T>(T? Value, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Calls the resource API from the server side; <see cref="Authentication.UserAccessTokenHandler"/>
/// adds the signed-in user's access token.
/// </summary>
public sealed partial class NotesApiClient(HttpClient http, ILogger<NotesApiClient> logger)
{
    public Task<ApiResult<List<Note>>> ListAsync(CancellationToken ct) =>
        SendAsync<List<Note>>(new HttpRequestMessage(HttpMethod.Get, "api/notes"), ct);

    public Task<ApiResult<Note>> AddAsync(string text, CancellationToken ct) =>
        SendAsync<Note>(new HttpRequestMessage(HttpMethod.Post, "api/notes") { Content = JsonContent.Create(new { text }) }, ct);

    public Task<ApiResult<object>> DeleteAsync(Guid id, CancellationToken ct) =>
        SendAsync<object>(new HttpRequestMessage(HttpMethod.Delete, $"api/notes/{id}"), ct);

    private async Task<ApiResult<T>> SendAsync<T>(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, ct);
                if (response.IsSuccessStatusCode)
                    return new(response.StatusCode == HttpStatusCode.NoContent ? default : await response.Content.ReadFromJsonAsync<T>(ct), null);
                return new(default, await DescribeAsync(response, ct));
            }
            catch (Exception ex) when (ex is HttpRequestException || DependencyOutage.IsUnansweredCall(ex))
            {
                // The exception's text names internal addresses: logged, not shown.
                LogUnreachable(logger, ex);
                return new(default, "The API could not be reached. Try again in a moment.");
            }
        }
    }

    /// <summary>Turns an RFC 6750 challenge or a problem details body into a sentence.</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        if (response.Headers.WwwAuthenticate.ToString() is { Length: > 0 } challenge)
            return $"The API refused the request ({status}): {challenge}";

        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            if (root.TryGetProperty("errors", out var errors))
                return string.Join(" ", errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray().Select(v => v.GetString())));
            if (root.TryGetProperty("title", out var title))
                return $"{status}: {title.GetString()}";
        }
        catch (JsonException)
        {
        }
        return status;
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "The API could not be reached")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}
