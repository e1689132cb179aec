using System.Net;
using System.Text.Json;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>A token-endpoint style JSON answer: tokens on success, error and description otherwise.</summary>
public sealed record TokenResponse(HttpStatusCode Status, JsonElement Body)
{
    public string? Error => Get("error");
    public string? ErrorDescription => Get("error_description");
    public string? AccessToken => Get("access_token");
    public string? RefreshToken => Get("refresh_token");
    public string? IdToken => Get("id_token");
    public string? Scope => Get("scope");

    public string? Get(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static async Task<TokenResponse> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new TokenResponse(response.StatusCode, body);
    }

    public override string ToString() => $"{(int)Status} {Body}";
}
