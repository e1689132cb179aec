using System.Net;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>
/// Keeps cookies the way a browser does on http://localhost, which it treats as a secure context:
/// cookies marked Secure (the OIDC correlation and nonce cookies are) are still sent.
/// <see cref="HttpClientHandler"/>'s own cookie handling would drop them over plain http.
/// </summary>
public sealed class BrowserCookies(CookieContainer cookies) : DelegatingHandler(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
{
    public CookieContainer Cookies { get; } = cookies;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = AsSecure(request.RequestUri!);
        if (Cookies.GetCookieHeader(uri) is { Length: > 0 } header)
            request.Headers.Add("Cookie", header);

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            foreach (var setCookie in setCookies)
                Cookies.SetCookies(uri, setCookie);
        return response;
    }

    private static Uri AsSecure(Uri uri) =>
        uri.IsLoopback ? new UriBuilder(uri) { Scheme = Uri.UriSchemeHttps, Port = uri.Port }.Uri : uri;
}
