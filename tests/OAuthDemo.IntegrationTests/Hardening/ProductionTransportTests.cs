using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Hardening;

/// <summary>
/// The auth server and the web client started in Production, as a deployment runs them behind a
/// TLS-terminating proxy (the test plays the proxy from 127.0.0.1, the one address configured as
/// trusted): plain HTTP is redirected to https, X-Forwarded-Proto counts only from that proxy, HSTS
/// is sent, cookies are Secure with the __Host- prefix, health probes still answer over http, and
/// an http issuer or redirect URI stops the start.
/// </summary>
public partial class ProductionTransportTests(AppHostFixture fixture)
{
    private const string PublicHost = "login.example.test";

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private Dictionary<string, string> Production(string database, string connectionString) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        [$"ConnectionStrings__{database}"] = connectionString,
        ["DataProtection__Certificate"] = fixture.Secrets.KeyRingCertificate,
        ["DataProtection__CertificatePassword"] = fixture.Secrets.KeyRingCertificatePassword,
        // The proxy: only this address may say a request came over https.
        ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
    };

    [Fact]
    public async Task The_auth_server_in_production_serves_pages_only_over_https()
    {
        await using var database = await ThrowawayDatabase.CreateAsync(fixture, "prodtransport");
        var password = Guid.NewGuid().ToString("N");
        var environment = Production("authdb", database.ConnectionString);
        environment["AuthServer__Issuer"] = $"https://{PublicHost}/";
        environment["AuthServer__Users__zoe__Password"] = password;
        // A native app's loopback redirect URI stays allowed over http (RFC 8252 §7.3).
        environment["AuthServer__Clients__native__RedirectUris__0"] = "http://127.0.0.1/callback";
        environment["AuthServer__Clients__native__GrantTypes__0"] = "authorization_code";
        environment["AuthServer__Clients__native__Scopes__0"] = "openid";
        await using var server = ServiceProcess.AuthServer(environment);
        var address = await server.ListeningAddressAsync(TimeSpan.FromSeconds(120), Ct);
        using var direct = Client(address, IPAddress.Loopback, viaProxy: false);
        using var stranger = Client(address, IPAddress.Parse("127.0.0.2"), viaProxy: true);
        using var proxy = Client(address, IPAddress.Loopback, viaProxy: true);

        // Plain http is redirected; so is a stranger who only claims https.
        using var plain = await direct.GetAsync("/account/login", Ct);
        using var claimed = await stranger.GetAsync("/account/login", Ct);
        // Probes from the orchestrator answer over http.
        using var health = await direct.GetAsync("/health", Ct);
        // Through the proxy: the page, HSTS, and a Secure __Host- antiforgery cookie.
        using var page = await proxy.GetAsync("/account/login", Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);
        var antiforgery = SetCookies(page).Single(c => c.StartsWith("__Host-oauthdemo.authserver.antiforgery=", StringComparison.Ordinal));
        // Signing in sets the login cookie, Secure and __Host- too.
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(
            [
                new("username", "zoe"), new("password", password),
                new("__RequestVerificationToken", WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value)),
            ]),
        };
        signIn.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        using var signedIn = await proxy.SendAsync(signIn, Ct);

        Assert.Equal(HttpStatusCode.PermanentRedirect, plain.StatusCode);
        Assert.Equal($"https://{address.Host}/account/login", plain.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.PermanentRedirect, claimed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("max-age=", string.Join(",", page.Headers.GetValues("Strict-Transport-Security")));
        AssertHostCookie(antiforgery);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        AssertHostCookie(SetCookies(signedIn).Single(c => c.StartsWith("__Host-oauthdemo.auth=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_web_client_in_production_serves_pages_only_over_https()
    {
        await using var database = await ThrowawayDatabase.CreateAsync(fixture, "prodweb");
        var environment = Production("webdb", database.ConnectionString);
        environment["WebClient__ClientSecret"] = "unused";
        environment["Authentication__Authority"] = $"https://{PublicHost}/";
        environment["WebClient__ResourceApi"] = "https://api.example.test/";
        await using var webClient = ServiceProcess.WebClient(environment);
        var address = await webClient.ListeningAddressAsync(TimeSpan.FromSeconds(120), Ct);
        using var direct = Client(address, IPAddress.Loopback, viaProxy: false);
        using var stranger = Client(address, IPAddress.Parse("127.0.0.2"), viaProxy: true);
        using var proxy = Client(address, IPAddress.Loopback, viaProxy: true);

        using var plain = await direct.GetAsync("/spa", Ct);
        using var claimed = await stranger.GetAsync("/", Ct);
        using var health = await direct.GetAsync("/alive", Ct);
        using var page = await proxy.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.PermanentRedirect, plain.StatusCode);
        Assert.Equal($"https://{address.Host}/spa", plain.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.PermanentRedirect, claimed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("max-age=", string.Join(",", page.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task In_production_an_http_issuer_or_redirect_uri_stops_the_start()
    {
        var environment = Production("authdb", ServiceProcess.UnreachableDatabase("authdb"));
        environment["AuthServer__Issuer"] = $"http://{PublicHost}/";
        environment["AuthServer__Clients__app__RedirectUris__0"] = "http://app.example.test/signin-oidc";
        environment["AuthServer__Clients__app__GrantTypes__0"] = "authorization_code";
        environment["AuthServer__Clients__app__Scopes__0"] = "openid";
        await using var server = ServiceProcess.AuthServer(environment);

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("AuthServer:Issuer must be set to the https URL browsers use outside Development", server.Output);
        Assert.Contains("AuthServer:Clients:app:RedirectUris:0 'http://app.example.test/signin-oidc' must be https outside Development", server.Output);
    }

    private static void AssertHostCookie(string setCookie)
    {
        var attributes = setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain=", StringComparison.Ordinal));
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    /// <summary>An HTTP client connecting from <paramref name="source"/>; via the proxy, it says the request came over https.</summary>
    private static HttpClient Client(Uri address, IPAddress source, bool viaProxy)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        if (viaProxy)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
            client.DefaultRequestHeaders.Add("X-Forwarded-Host", PublicHost);
            client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        }
        return client;
    }
}
