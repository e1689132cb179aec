using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>
/// Talks to the auth server over real HTTP like a client would: its own cookie jar (a browser
/// session), no automatic redirects (the tests look at each one), no retries.
/// </summary>
public sealed class AuthServerClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="cookies">A cookie jar to share, e.g. one browser talking to two replicas.</param>
    public AuthServerClient(Uri baseAddress, CookieContainer? cookies = null)
    {
        Cookies = cookies ?? new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseCookies = true })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public CookieContainer Cookies { get; }

    public Uri BaseAddress => _http.BaseAddress!;

    public HttpClient Http => _http;

    /// <summary>The issuer as published in discovery: the address plus a trailing slash.</summary>
    public string Issuer => BaseAddress.GetLeftPart(UriPartial.Authority) + "/";

    public Task<HttpResponseMessage> GetAsync(string pathAndQuery, CancellationToken ct) => _http.GetAsync(pathAndQuery, ct);

    public async Task<TokenResponse> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> form, (string Id, string Secret)? basic, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (basic is { } credentials)
        {
            // RFC 6749 §2.3.1: form-urlencode id and secret before base64.
            var raw = $"{Uri.EscapeDataString(credentials.Id)}:{Uri.EscapeDataString(credentials.Secret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(raw)));
        }
        using var response = await _http.SendAsync(request, ct);
        return await TokenResponse.ReadAsync(response, ct);
    }

    public Task<TokenResponse> TokenAsync(IEnumerable<KeyValuePair<string, string>> form, (string Id, string Secret)? basic, CancellationToken ct) =>
        PostFormAsync("/connect/token", form, basic, ct);

    public async Task<JsonElement> GetJsonAsync(string path, CancellationToken ct)
    {
        using var response = await _http.GetAsync(path, ct);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.Clone();
    }

    public async Task<IList<SecurityKey>> GetSigningKeysAsync(CancellationToken ct)
    {
        using var response = await _http.GetAsync("/.well-known/jwks", ct);
        response.EnsureSuccessStatusCode();
        return new JsonWebKeySet(await response.Content.ReadAsStringAsync(ct)).GetSigningKeys();
    }

    /// <summary>Validates a JWT against the published JWKS, as a resource server would.</summary>
    public async Task<TokenValidationResult> ValidateJwtAsync(string token, string audience, string type, CancellationToken ct)
    {
        var keys = await GetSigningKeysAsync(ct);
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = keys,
            ValidTypes = [type],
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(5),
        });
    }

    public void Dispose() => _http.Dispose();
}
