using OAuthDemo.AuthServer.Configuration;

namespace OAuthDemo.UnitTests;

public class AuthServerSettingsValidatorTests
{
    private static AuthServerSettings Valid() => new()
    {
        Issuer = "http://localhost:5100/",
        Scopes = { ["notes.read"] = new() { Resources = ["resource-api"] } },
        Clients =
        {
            ["webclient"] = new()
            {
                ClientSecret = "s3cret",
                RedirectUris = ["http://localhost:5300/signin-oidc"],
                PostLogoutRedirectUris = ["http://localhost:5300/signout-callback-oidc"],
                GrantTypes = ["authorization_code", "refresh_token"],
                Scopes = ["openid", "profile", "offline_access", "notes.read"],
                ConsentType = "explicit",
            },
            ["spa"] = new() { RedirectUris = ["http://localhost:5300/spa"], GrantTypes = ["authorization_code"], Scopes = ["openid"] },
            ["worker"] = new() { JsonWebKeySet = PublicKeySet, GrantTypes = ["client_credentials"], Scopes = ["notes.read"] },
            ["resource-api"] = new() { ClientSecret = "s3cret", Introspect = true },
        },
        Users = { ["alice"] = new() { Password = "correct horse battery staple" } },
    };

    private static readonly System.Security.Cryptography.ECDsa ClientKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

    private static string KeySet(bool includePrivate)
    {
        var p = ClientKey.ExportParameters(includePrivate);
        static string B64(byte[] bytes) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(bytes);
        var d = includePrivate ? $", \"d\": \"{B64(p.D!)}\"" : "";
        return $$"""{ "keys": [ { "kty": "EC", "crv": "P-256", "x": "{{B64(p.Q.X!)}}", "y": "{{B64(p.Q.Y!)}}"{{d}} } ] }""";
    }

    private static readonly string PublicKeySet = KeySet(includePrivate: false);

    private static IReadOnlyList<string> Errors(AuthServerSettings settings) =>
        new AuthServerSettingsValidator().Validate(null, settings).Failures?.ToList() ?? [];

    [Fact]
    public void The_sample_configuration_is_valid()
    {
        Assert.Empty(Errors(Valid()));
    }

    [Fact]
    public void A_public_client_asking_for_client_credentials_is_refused()
    {
        var settings = Valid();
        settings.Clients["spa"].GrantTypes.Add("client_credentials");

        var error = Assert.Single(Errors(settings));

        Assert.Contains("AuthServer:Clients:spa:GrantTypes", error);
        Assert.Contains("AuthServer:Clients:spa:ClientSecret", error);
    }

    [Fact]
    public void A_client_key_set_holding_a_private_key_is_refused()
    {
        var settings = Valid();
        settings.Clients["worker"].JsonWebKeySet = KeySet(includePrivate: true);

        Assert.Contains("AuthServer:Clients:worker:JsonWebKeySet holds a private or symmetric key", Assert.Single(Errors(settings)));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{ "keys": [] }""")]
    public void A_client_key_set_that_is_not_a_usable_jwks_is_refused(string json)
    {
        var settings = Valid();
        settings.Clients["worker"].JsonWebKeySet = json;

        Assert.Contains("AuthServer:Clients:worker:JsonWebKeySet", Assert.Single(Errors(settings)));
    }

    [Theory]
    [InlineData("P-384", null, "only P-256")]
    [InlineData("P-256", "enc", "use 'enc'")]
    public void A_client_key_that_cannot_sign_an_accepted_assertion_is_refused(string curve, string? use, string reason)
    {
        var settings = Valid();
        var json = KeySet(includePrivate: false).Replace("\"P-256\"", $"\"{curve}\"");
        settings.Clients["worker"].JsonWebKeySet = use is null ? json : json.Replace("\"kty\"", $"\"use\": \"{use}\", \"kty\"");

        Assert.Contains(reason, Assert.Single(Errors(settings)));
    }

    [Fact]
    public void A_short_rsa_client_key_is_refused()
    {
        var settings = Valid();
        var modulus = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(new byte[128]); // 1024 bits
        settings.Clients["worker"].JsonWebKeySet = $$"""{ "keys": [ { "kty": "RSA", "n": "{{modulus}}", "e": "AQAB" } ] }""";

        Assert.Contains("shorter than 2048 bits", Assert.Single(Errors(settings)));
    }

    [Fact]
    public void A_client_with_both_a_secret_and_a_key_set_is_refused()
    {
        var settings = Valid();
        settings.Clients["worker"].ClientSecret = "s3cret";

        Assert.Contains("has both ClientSecret and JsonWebKeySet", Assert.Single(Errors(settings)));
    }

    [Fact]
    public void Pushed_authorization_cannot_be_required_of_a_public_client()
    {
        var settings = Valid();
        settings.Clients["spa"].RequirePushedAuthorization = true;
        settings.Clients["webclient"].RequirePushedAuthorization = true; // confidential: fine

        Assert.Contains("AuthServer:Clients:spa:RequirePushedAuthorization needs a confidential client", Assert.Single(Errors(settings)));
    }

    [Theory]
    [InlineData("/signin-oidc", "must be an absolute URI")]
    [InlineData("signin-oidc", "must be an absolute URI")]
    [InlineData("http://localhost:5300/cb#frag", "must not contain a fragment")]
    [InlineData("http://localhost:5300/cb#", "must not contain a fragment")]
    public void A_relative_or_fragment_redirect_uri_is_refused(string uri, string reason)
    {
        var settings = Valid();
        settings.Clients["webclient"].RedirectUris.Add(uri);

        var error = Assert.Single(Errors(settings));

        Assert.Contains($"AuthServer:Clients:webclient:RedirectUris:1 '{uri}'", error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void A_relative_post_logout_redirect_uri_is_refused()
    {
        var settings = Valid();
        settings.Clients["webclient"].PostLogoutRedirectUris[0] = "/signed-out";

        Assert.Contains("AuthServer:Clients:webclient:PostLogoutRedirectUris:0", Assert.Single(Errors(settings)));
    }

    [Fact]
    public void An_unknown_scope_is_refused_with_its_position()
    {
        var settings = Valid();
        settings.Clients["worker"].Scopes.Add("stats.read");

        var error = Assert.Single(Errors(settings));

        Assert.Contains("AuthServer:Clients:worker:Scopes:1 'stats.read' is not a known scope", error);
        Assert.Contains("AuthServer:Scopes:stats.read", error);
    }

    [Fact]
    public void A_confidential_client_with_an_empty_secret_is_refused()
    {
        var settings = Valid();
        settings.Clients["resource-api"].ClientSecret = "";

        Assert.Contains("AuthServer:Clients:resource-api:ClientSecret is empty", Assert.Single(Errors(settings)));
    }

    [Fact]
    public void Introspection_needs_a_confidential_client()
    {
        var settings = Valid();
        settings.Clients["spa"].Introspect = true;

        Assert.Contains("AuthServer:Clients:spa:Introspect needs a confidential client", Assert.Single(Errors(settings)));
    }

    [Theory]
    [InlineData("implicit")]
    [InlineData("password")]
    public void Deprecated_grants_are_refused(string grant)
    {
        var settings = Valid();
        settings.Clients["webclient"].GrantTypes.Add(grant);

        var error = Assert.Single(Errors(settings));

        Assert.Contains($"AuthServer:Clients:webclient:GrantTypes:2 '{grant}'", error);
        Assert.Contains("RFC 9700", error);
    }

    [Fact]
    public void The_code_grant_needs_a_redirect_uri()
    {
        var settings = Valid();
        settings.Clients["spa"].RedirectUris.Clear();

        Assert.Contains("AuthServer:Clients:spa:RedirectUris is empty", Assert.Single(Errors(settings)));
    }

    [Theory]
    [InlineData("localhost:5100")]
    [InlineData("/relative")]
    [InlineData("ftp://localhost/")]
    [InlineData("http://localhost:5100/?x=1")]
    public void A_bad_issuer_is_refused(string issuer)
    {
        var settings = Valid();
        settings.Issuer = issuer;

        Assert.Contains("AuthServer:Issuer", Assert.Single(Errors(settings)));
    }

    [Fact]
    public void A_user_without_a_password_is_refused()
    {
        var settings = Valid();
        settings.Users["bob"] = new() { Email = "bob@example.com" };

        Assert.Contains("AuthServer:Users:bob:Password", Assert.Single(Errors(settings)));
    }

    [Fact]
    public void Negative_reuse_leeway_and_zero_lifetimes_are_refused()
    {
        var settings = Valid();
        settings.AccessTokenLifetime = TimeSpan.Zero;
        settings.RefreshTokenReuseLeeway = TimeSpan.FromSeconds(-1);

        var errors = Errors(settings);

        Assert.Contains(errors, e => e.Contains("AuthServer:AccessTokenLifetime"));
        Assert.Contains(errors, e => e.Contains("AuthServer:RefreshTokenReuseLeeway"));
    }

    [Fact]
    public void Outside_development_the_issuer_and_redirect_uris_must_be_https_except_on_loopback()
    {
        var settings = Valid();
        settings.Issuer = "http://login.example.com/";
        settings.Clients["webclient"].RedirectUris = ["http://app.example.com/signin-oidc", "https://app.example.com/signin-oidc"];
        settings.Clients["webclient"].PostLogoutRedirectUris = ["http://app.example.com/"];
        settings.Clients["spa"].RedirectUris = ["http://127.0.0.1:7000/callback", "http://[::1]/callback", "http://localhost/callback"];

        var strict = new AuthServerSettingsValidator { RequireHttps = true }.Validate(null, settings).Failures?.ToList() ?? [];

        Assert.Equal(3, strict.Count);
        Assert.Contains(strict, e => e.StartsWith("AuthServer:Issuer must be set to the https URL", StringComparison.Ordinal));
        Assert.Contains(strict, e => e.StartsWith("AuthServer:Clients:webclient:RedirectUris:0 'http://app.example.com/signin-oidc' must be https", StringComparison.Ordinal));
        Assert.Contains(strict, e => e.StartsWith("AuthServer:Clients:webclient:PostLogoutRedirectUris:0", StringComparison.Ordinal));
        // In Development, plain http is allowed everywhere.
        Assert.Empty(Errors(settings));
    }

    [Fact]
    public void Outside_development_the_issuer_must_be_set()
    {
        var settings = Valid();
        settings.Issuer = null;

        var strict = new AuthServerSettingsValidator { RequireHttps = true }.Validate(null, settings).Failures ?? [];

        Assert.Contains(strict, e => e.Contains("AuthServer:Issuer must be set"));
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var settings = Valid();
        settings.Clients["spa"].GrantTypes.Add("client_credentials");
        settings.Clients["webclient"].RedirectUris.Add("/relative");
        settings.Clients["resource-api"].ClientSecret = " ";

        Assert.Equal(3, Errors(settings).Count);
    }
}

public class KeySettingsValidationTests
{
    private static IReadOnlyList<string> Errors(Action<AuthServerSettings> change)
    {
        var settings = new AuthServerSettings();
        change(settings);
        return new AuthServerSettingsValidator().Validate(null, settings).Failures?.ToList() ?? [];
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Errors(_ => { }));

    [Fact]
    public void Retirement_shorter_than_the_access_token_lifetime_is_refused_naming_the_keys()
    {
        var errors = Errors(s => s.Keys.RetirementPeriod = TimeSpan.FromMinutes(10));

        Assert.Contains(errors, e => e.StartsWith("AuthServer:Keys:RetirementPeriod (00:10:00) must be at least the longest access token lifetime (00:15:00)", StringComparison.Ordinal));
    }

    [Fact]
    public void Retirement_is_held_to_the_longest_per_client_access_token_lifetime()
    {
        var errors = Errors(s => s.Clients["long"] = new() { ClientSecret = "s3cret", GrantTypes = ["client_credentials"], AccessTokenLifetime = TimeSpan.FromDays(2) });

        Assert.Contains(errors, e => e.Contains("AuthServer:Keys:RetirementPeriod", StringComparison.Ordinal) && e.Contains("2.00:00:00", StringComparison.Ordinal));
    }

    [Fact]
    public void Prepublication_must_be_shorter_than_the_rotation_interval()
    {
        var errors = Errors(s => s.Keys.PrepublishPeriod = TimeSpan.FromDays(30));

        Assert.Contains(errors, e => e.StartsWith("AuthServer:Keys:PrepublishPeriod", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("RotationInterval")]
    [InlineData("PrepublishPeriod")]
    public void Zero_periods_are_refused(string setting)
    {
        var errors = Errors(s =>
        {
            if (setting == "RotationInterval")
                s.Keys.RotationInterval = TimeSpan.Zero;
            else
                s.Keys.PrepublishPeriod = TimeSpan.Zero;
        });

        Assert.Contains(errors, e => e.StartsWith($"AuthServer:Keys:{setting} must be positive", StringComparison.Ordinal));
    }
}
