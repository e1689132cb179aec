using System.Net.Http.Headers;
using Microsoft.AspNetCore.WebUtilities;
using System.Text.Json;
using System.Text.RegularExpressions;
using OAuthDemo.WebClient.FlowInspector;

namespace OAuthDemo.WebClient.AttackLab;

/// <summary>An answer as the card shows it, and its JSON for the attack to read on (a token to clean up, <c>active</c>).</summary>
public sealed record LabAnswer(LabExchange Shown, JsonElement? Json)
{
    public string? Field(string name) =>
        Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(name, out var value) ? value.ToString() : null;
}

/// <summary>
/// Sends the lab's requests as an attacker would, and keeps the server's whole answer: the status,
/// the OAuth error, <c>WWW-Authenticate</c>, <c>Location</c>. Redirects are not followed (where an
/// answer would send the browser is part of the answer), nothing is retried, and what is shown has
/// every credential masked.
/// </summary>
public sealed partial class LabHttpClient(HttpClient http)
{
    public const string HttpClientName = "attack-lab";

    private const int ShownAnswerCharacters = 400;

    // The page HTML-encodes what it shows, so "+" and "<" need no JSON escapes (at+jwt, not at\u002Bjwt).
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parameters whose values are credentials: shown masked, like the flow inspector's.</summary>
    private static readonly HashSet<string> Masked = new(StringComparer.Ordinal)
    {
        "access_token", "refresh_token", "id_token", "token", "code", "code_verifier", "client_assertion",
    };

    public Task<LabAnswer> PostFormAsync(string title, string url, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken ct) =>
        SendAsync(title, new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) }, Show(form), ct);

    /// <summary>A GET, with query parameters, a bearer token and the browser's cookies when given.</summary>
    public Task<LabAnswer> GetAsync(string title, string url, CancellationToken ct,
        string? bearer = null, string? cookies = null, IReadOnlyList<KeyValuePair<string, string>>? query = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, query is null ? url : QueryHelpers.AddQueryString(url, query.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))));
        var sent = query is null ? [] : Show(query);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            sent.Add(KeyValuePair.Create("Authorization", $"Bearer {TokenInspector.Mask(bearer)}"));
        }
        if (!string.IsNullOrEmpty(cookies))
        {
            request.Headers.Add("Cookie", cookies);
            sent.Add(KeyValuePair.Create("Cookie", "(this browser's cookies)"));
        }
        return SendAsync(title, request, sent, ct);
    }

    private async Task<LabAnswer> SendAsync(string title, HttpRequestMessage request, List<KeyValuePair<string, string>> sent, CancellationToken ct)
    {
        using (request)
        {
            var line = $"{request.Method} {Path(request.RequestUri!)}";
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var json = response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true ? ParseJson(body) : null;
            var shown = new LabExchange(
                title,
                line,
                sent,
                (int)response.StatusCode,
                response.ReasonPhrase ?? "",
                Error: json is { } j ? Field(j, "error") : null,
                ErrorDescription: json is { } d ? Field(d, "error_description") : null,
                WwwAuthenticate: response.Headers.WwwAuthenticate.ToString() is { Length: > 0 } challenge ? challenge : null,
                Location: response.Headers.Location?.ToString(),
                Answer: json is { } answer ? MaskedJson(answer) : TextOf(body));
            return new LabAnswer(shown, json);
        }
    }

    private static List<KeyValuePair<string, string>> Show(IReadOnlyList<KeyValuePair<string, string>> form) =>
        [.. form.Select(p => KeyValuePair.Create(p.Key,
            p.Key == "client_secret" ? "(sent; never shown or logged)"
            : Masked.Contains(p.Key) ? TokenInspector.Mask(p.Value)
            : p.Value))];

    /// <summary>Where the request went: scheme, host and path; a query that carries credentials is shown only as "?…".</summary>
    private static string Path(Uri uri) => uri.GetLeftPart(UriPartial.Path) + (uri.Query.Length > 0 ? "?…" : "");

    private static JsonElement? ParseJson(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Field(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) ? value.ToString() : null;

    /// <summary>A JSON answer with its tokens masked (a token response, an introspection answer).</summary>
    private static string MaskedJson(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
            return Shorten(json.GetRawText());
        var shown = json.EnumerateObject().ToDictionary(
            p => p.Name,
            p => Masked.Contains(p.Name) && p.Value.ValueKind == JsonValueKind.String ? TokenInspector.Mask(p.Value.GetString()) : (object)p.Value);
        return Shorten(JsonSerializer.Serialize(shown, Readable));
    }

    /// <summary>An HTML page (the auth server's error page) as its text.</summary>
    private static string? TextOf(string body) =>
        body.Length == 0 ? null : Shorten(System.Net.WebUtility.HtmlDecode(Whitespace().Replace(Tags().Replace(Scripts().Replace(body, " "), " "), " ").Trim()));

    private static string Shorten(string text) => text.Length > ShownAnswerCharacters ? text[..ShownAnswerCharacters] + "…" : text;

    [GeneratedRegex("<(script|style|head)[^>]*>.*?</\\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Scripts();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();
}
