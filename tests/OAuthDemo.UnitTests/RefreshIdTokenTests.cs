using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OAuthDemo.WebClient.Authentication;

namespace OAuthDemo.UnitTests;

/// <summary>
/// OpenID Connect Core §12.2: an ID token that comes with refreshed tokens must be valid and name
/// the session's issuer, subject and audience, or the session ends. A stand-in token endpoint
/// answers with the ID token each case needs.
/// </summary>
public class RefreshIdTokenTests
{
    private const string Issuer = "http://auth.test/";
    private const string ClientId = "webclient";

    private static readonly RsaSecurityKey ServerKey = new(RSA.Create(2048)) { KeyId = "server" };
    private static readonly RsaSecurityKey OtherKey = new(RSA.Create(2048)) { KeyId = "server" };

    private static string IdToken(string subject, SecurityKey? key = null, string issuer = Issuer, string audience = ClientId) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", subject)]),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(key ?? ServerKey, SecurityAlgorithms.RsaSha256),
        });

    private sealed class TokenEndpoint(string? idToken) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var id = idToken is null ? "" : $", \"id_token\": \"{idToken}\"";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{ "access_token": "at", "refresh_token": "rt2", "expires_in": 60 {{id}} }""", Encoding.UTF8, "application/json"),
            });
        }
    }

    private sealed class Factory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private sealed class Monitor(OpenIdConnectOptions options) : IOptionsMonitor<OpenIdConnectOptions>
    {
        public OpenIdConnectOptions CurrentValue => options;
        public OpenIdConnectOptions Get(string? name) => options;
        public IDisposable? OnChange(Action<OpenIdConnectOptions, string?> listener) => null;
    }

    private static Task<RefreshOutcome> RefreshAsync(string? answeredIdToken, string? sessionIdToken)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = Issuer, TokenEndpoint = Issuer + "connect/token" };
        configuration.SigningKeys.Add(ServerKey);
        var options = new OpenIdConnectOptions
        {
            ClientId = ClientId,
            ClientSecret = "secret",
            ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration),
        };
        options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256];
        var client = new RefreshTokenClient(new Factory(new TokenEndpoint(answeredIdToken)), new Monitor(options), TimeProvider.System, NullLogger<RefreshTokenClient>.Instance);
        return client.RedeemAsync("rt1", sessionIdToken, CancellationToken.None);
    }

    [Fact]
    public async Task A_valid_id_token_for_the_same_user_is_taken()
    {
        var outcome = await RefreshAsync(IdToken("alice"), sessionIdToken: IdToken("alice"));

        Assert.IsType<Refreshed>(outcome);
    }

    [Fact]
    public async Task An_answer_without_an_id_token_is_taken()
    {
        Assert.IsType<Refreshed>(await RefreshAsync(null, IdToken("alice")));
    }

    [Theory]
    [InlineData("another subject")]
    [InlineData("another key")]
    [InlineData("another issuer")]
    [InlineData("another audience")]
    public async Task An_id_token_that_is_not_this_sessions_ends_it(string fault)
    {
        var answered = fault switch
        {
            "another subject" => IdToken("mallory"),
            "another key" => IdToken("alice", OtherKey),
            "another issuer" => IdToken("alice", issuer: "http://attacker.test/"),
            _ => IdToken("alice", audience: "spa"),
        };

        var outcome = await RefreshAsync(answered, sessionIdToken: IdToken("alice"));

        Assert.Equal("invalid_id_token", Assert.IsType<Refused>(outcome).Error);
    }
}
