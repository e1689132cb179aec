using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OAuthDemo.Worker;
using OAuthDemo.Worker.Tokens;

namespace OAuthDemo.UnitTests;

/// <summary>
/// The worker's token cache on its own: a stand-in token endpoint counts requests and a fake
/// clock moves time. (The integration tests count the real auth server's tokens.)
/// </summary>
public class ClientCredentialsTokenProviderTests
{
    private const int LifetimeSeconds = 300; // renewed 60 s early: a fifth of the lifetime, at most a minute

    private sealed class TokenEndpointStandIn : HttpMessageHandler
    {
        private int _tokenRequests;

        public int TokenRequests => _tokenRequests;

        public string? Error { get; set; }

        public List<Dictionary<string, string>> Forms { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get)
                return Json("""{ "issuer": "http://auth.test/", "token_endpoint": "http://auth.test/connect/token" }""");

            var form = QueryHelpers.ParseQuery(await request.Content!.ReadAsStringAsync(cancellationToken));
            lock (Forms)
                Forms.Add(form.ToDictionary(p => p.Key, p => p.Value.ToString()));
            var number = Interlocked.Increment(ref _tokenRequests);
            await Task.Delay(50, cancellationToken); // long enough for concurrent callers to pile up
            return Error is null
                ? Json($$"""{ "access_token": "token-{{number}}", "token_type": "Bearer", "expires_in": {{LifetimeSeconds}} }""")
                : Json($$"""{ "error": "{{Error}}", "error_description": "nope" }""", HttpStatusCode.BadRequest);
        }

        private static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
            new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    private sealed class Factory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { BaseAddress = new Uri("http://auth.test/") };
    }

    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static (ClientCredentialsTokenProvider Provider, TokenEndpointStandIn Endpoint, FakeTimeProvider Clock) Create()
    {
        var endpoint = new TokenEndpointStandIn();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = Options.Create(new WorkerSettings { ClientKey = Key.ExportPkcs8PrivateKeyPem() });
        var assertions = new ClientAssertions(settings, clock);
        return (new ClientCredentialsTokenProvider(new Factory(endpoint), assertions, settings, clock, NullLogger<ClientCredentialsTokenProvider>.Instance), endpoint, clock);
    }

    [Fact]
    public async Task Each_token_request_carries_a_fresh_assertion_signed_for_the_issuer()
    {
        var (provider, endpoint, _) = Create();

        var first = await provider.GetTokenAsync(CancellationToken.None);
        provider.Invalidate(first);
        await provider.GetTokenAsync(CancellationToken.None);

        Assert.Equal(2, endpoint.Forms.Count);
        var jwtIds = new List<string>();
        foreach (var form in endpoint.Forms)
        {
            Assert.False(form.ContainsKey("client_secret"));
            Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"]);
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(form["client_assertion"], new TokenValidationParameters
            {
                IssuerSigningKey = new ECDsaSecurityKey(ECDsa.Create(Key.ExportParameters(false))),
                ValidIssuer = "worker",
                ValidAudience = "http://auth.test/",
                ValidTypes = ["client-authentication+jwt"],
                ValidAlgorithms = ["ES256"],
                LifetimeValidator = (notBefore, expires, _, _) => expires - notBefore == ClientAssertions.Lifetime,
            });
            Assert.True(result.IsValid, result.Exception?.Message);
            Assert.Equal("worker", result.Claims["sub"]);
            jwtIds.Add((string)result.Claims["jti"]);
        }
        Assert.Equal(2, jwtIds.Distinct().Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----")]
    public void A_missing_or_unreadable_key_is_not_usable(string? pem) => Assert.False(ClientAssertions.IsUsableKey(pem));

    [Fact]
    public void A_key_on_another_256_bit_curve_is_not_usable()
    {
        using var other = ECDsa.Create(ECCurve.CreateFromFriendlyName("secP256k1"));
        Assert.False(ClientAssertions.IsUsableKey(other.ExportPkcs8PrivateKeyPem()));
    }

    [Fact]
    public void A_P256_private_key_is_usable() => Assert.True(ClientAssertions.IsUsableKey(Key.ExportPkcs8PrivateKeyPem()));

    [Fact]
    public async Task Concurrent_callers_share_one_token_request()
    {
        var (provider, endpoint, _) = Create();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => provider.GetTokenAsync(CancellationToken.None).AsTask()));

        Assert.Equal(1, endpoint.TokenRequests);
        Assert.All(tokens, token => Assert.Equal("token-1", token));
    }

    [Fact]
    public async Task The_token_is_reused_until_shortly_before_it_expires()
    {
        var (provider, endpoint, clock) = Create();

        var first = await provider.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(LifetimeSeconds - 61));
        var stillCached = await provider.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        var renewed = await provider.GetTokenAsync(CancellationToken.None);

        Assert.Equal("token-1", first);
        Assert.Equal("token-1", stillCached);
        Assert.Equal("token-2", renewed);
        Assert.Equal(2, endpoint.TokenRequests);
    }

    [Fact]
    public async Task A_refused_token_is_dropped_and_only_that_one()
    {
        var (provider, endpoint, _) = Create();
        var first = await provider.GetTokenAsync(CancellationToken.None);

        provider.Invalidate("some-older-token"); // not the cached one: ignored
        var same = await provider.GetTokenAsync(CancellationToken.None);
        provider.Invalidate(first);
        var fresh = await provider.GetTokenAsync(CancellationToken.None);

        Assert.Equal(first, same);
        Assert.Equal("token-2", fresh);
        Assert.Equal(2, endpoint.TokenRequests);
    }

    [Fact]
    public async Task A_token_endpoint_error_surfaces_with_its_oauth_code()
    {
        var (provider, endpoint, _) = Create();
        endpoint.Error = "invalid_client";

        var error = await Assert.ThrowsAsync<TokenRequestException>(() => provider.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal("invalid_client", error.Error);
    }
}
