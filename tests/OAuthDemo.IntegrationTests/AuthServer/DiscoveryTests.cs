using System.Text.Json;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.AuthServer;

public class DiscoveryTests(AppHostFixture fixture)
{
    private static string[] Strings(JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task Discovery_advertises_every_endpoint_on_the_configured_issuer()
    {
        using var server = fixture.CreateAuthServerClient();

        var discovery = await server.GetJsonAsync("/.well-known/openid-configuration", Ct);

        Assert.Equal(server.Issuer, discovery.GetProperty("issuer").GetString());
        foreach (var (name, path) in new[]
                 {
                     ("authorization_endpoint", "/connect/authorize"), ("token_endpoint", "/connect/token"),
                     ("userinfo_endpoint", "/connect/userinfo"), ("end_session_endpoint", "/connect/endsession"),
                     ("revocation_endpoint", "/connect/revoke"), ("introspection_endpoint", "/connect/introspect"),
                     ("jwks_uri", "/.well-known/jwks"),
                 })
        {
            Assert.Equal(new Uri(server.BaseAddress, path).ToString(), discovery.GetProperty(name).GetString());
        }
    }

    [Fact]
    public async Task Discovery_offers_only_the_secure_grants_and_S256()
    {
        using var server = fixture.CreateAuthServerClient();

        var discovery = await server.GetJsonAsync("/.well-known/openid-configuration", Ct);

        Assert.Equal(["authorization_code", "client_credentials", "refresh_token"], Strings(discovery, "grant_types_supported").Order());
        Assert.Equal(["code"], Strings(discovery, "response_types_supported"));
        Assert.Equal(["S256"], Strings(discovery, "code_challenge_methods_supported"));
        Assert.Contains("RS256", Strings(discovery, "id_token_signing_alg_values_supported"));
        var scopes = Strings(discovery, "scopes_supported");
        Assert.All(new[] { "openid", "profile", "email", "offline_access", "notes.read", "notes.write", "stats.read" }, s => Assert.Contains(s, scopes));
    }

    [Fact]
    public async Task Jwks_publishes_public_signing_keys_only()
    {
        using var server = fixture.CreateAuthServerClient();

        var jwks = await server.GetJsonAsync("/.well-known/jwks", Ct);

        var keys = jwks.GetProperty("keys").EnumerateArray().ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            Assert.Equal("sig", key.GetProperty("use").GetString());
            Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
            Assert.Contains(key.GetProperty("kty").GetString(), new[] { "RSA", "EC" });
            // Private (RSA: d p q dp dq qi; EC: d) or symmetric (k) members must never appear.
            foreach (var secret in new[] { "d", "p", "q", "dp", "dq", "qi", "k" })
                Assert.False(key.TryGetProperty(secret, out _), $"JWKS key exposes '{secret}'");
        }
    }
}
