using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OAuthDemo.IntegrationTests.Infrastructure;

public sealed record ApiResponse(HttpStatusCode Status, JsonElement Body, string WwwAuthenticate, Uri? Location);

/// <summary>Calls the resource API with a bearer token, keeping what RFC 6750 says to look at.</summary>
public static class ApiCalls
{
    public static async Task<ApiResponse> SendAsync(this HttpClient api, HttpMethod method, string path, string? accessToken, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (accessToken is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (body is not null)
            request.Content = body as HttpContent ?? JsonContent.Create(body);

        using var response = await api.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var json = text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json") ?? false)
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return new ApiResponse(response.StatusCode, json, response.Headers.WwwAuthenticate.ToString(), response.Headers.Location);
    }

    public static Task<ApiResponse> GetAsync(this HttpClient api, string path, string? token, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Get, path, token, null, ct);
}
