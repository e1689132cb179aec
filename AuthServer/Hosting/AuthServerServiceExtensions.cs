using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OAuthDemo.AuthServer.Authorization;
using OAuthDemo.AuthServer.Configuration;
using OAuthDemo.AuthServer.Data;
using OAuthDemo.AuthServer.Keys;
using OAuthDemo.AuthServer.Observability;
using OAuthDemo.AuthServer.Seeding;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OAuthDemo.AuthServer.Hosting;

internal static class AuthServerServiceExtensions
{
    public static WebApplicationBuilder AddAuthServer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var settings = builder.Configuration.GetSection(AuthServerSettings.SectionName).Get<AuthServerSettings>() ?? new();

        services.AddOptions<AuthServerSettings>().BindConfiguration(AuthServerSettings.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthServerSettings>, AuthServerSettingsValidator>();

        builder.AddAuthDatabase();
        builder.AddIdentityAccounts();
        services.AddPublicClientCors(settings);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TokenKeyRing>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, TokenKeyRingOptionsSetup>();
        services.AddScoped<TokenKeyStore>();
        services.AddScoped<ScopeSeeder>();
        services.AddScoped<ClientSeeder>();
        services.AddScoped<UserSeeder>();
        services.AddSingleton<TokenMetrics>();
        services.AddScoped<UserPrincipalFactory>();

        services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<AuthDbContext>())
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris("connect/authorize")
                       .SetTokenEndpointUris("connect/token")
                       .SetUserInfoEndpointUris("connect/userinfo")
                       .SetEndSessionEndpointUris("connect/endsession")
                       .SetRevocationEndpointUris("connect/revoke")
                       .SetIntrospectionEndpointUris("connect/introspect");

                if (settings.Issuer is { Length: > 0 } issuer && Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri))
                    options.SetIssuer(issuerUri);

                // Code (+ refresh) for users, client credentials for machines. No implicit and no
                // password grant: both are deprecated by RFC 9700.
                options.AllowAuthorizationCodeFlow()
                       .AllowRefreshTokenFlow()
                       .AllowClientCredentialsFlow();

                // PKCE for every authorization request, and S256 only: "plain" protects nothing
                // once the challenge leaks (RFC 9700 §2.1.1).
                options.RequireProofKeyForCodeExchange();
                options.Configure(o => o.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));

                // Advertised in discovery; the API scopes and their audiences also live in the database.
                options.RegisterScopes([Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, .. settings.Scopes.Keys]);
                options.RegisterClaims(Claims.Name, Claims.PreferredUsername, Claims.Email, Claims.EmailVerified, Claims.AuthenticationTime);

                // Access tokens are signed JWTs (RFC 9068, typ at+jwt) that the API validates alone
                // against the JWKS; they are not encrypted so any resource server can read them.
                options.DisableAccessTokenEncryption();
                // Stamp nbf (= issue time) on every JWT: SPEC §2 lists it among the access token claims.
                options.Configure(o => o.JsonWebTokenHandler.SetDefaultTimesOnTokenCreation = true);
                options.SetAccessTokenLifetime(settings.AccessTokenLifetime)
                       .SetRefreshTokenLifetime(settings.RefreshTokenLifetime)
                       // Refresh tokens rotate on every use; reuse past the leeway (zero by
                       // default) revokes every token of that grant (RFC 9700 §4.14.2).
                       .SetRefreshTokenReuseLeeway(settings.RefreshTokenReuseLeeway);

                var aspNetCore = options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableStatusCodePagesIntegration();

                // Plain HTTP only for local development; anywhere else OpenIddict refuses it.
                if (builder.Environment.IsDevelopment())
                    aspNetCore.DisableTransportSecurityRequirement();

                options.AddProtocolHandlers()
                       .AddTokenEventHandlers();
            });

        return builder;
    }

    public const string PublicClientCorsPolicy = "public-clients";

    /// <summary>
    /// Browser-based public clients call the token, userinfo and revocation endpoints with fetch:
    /// CORS is allowed for the origins of their redirect URIs, and for no other origin.
    /// </summary>
    private static void AddPublicClientCors(this IServiceCollection services, AuthServerSettings settings)
    {
        var origins = settings.Clients.Values
            .Where(client => client.IsPublic)
            .SelectMany(client => client.RedirectUris)
            .Select(uri => Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && !parsed.IsFile ? parsed.GetLeftPart(UriPartial.Authority) : null)
            .OfType<string>()
            .Distinct()
            .ToArray();
        services.AddCors(cors => cors.AddPolicy(PublicClientCorsPolicy, policy => policy
            .WithOrigins(origins)
            .WithMethods(HttpMethods.Get, HttpMethods.Post)
            .WithHeaders("Authorization", "Content-Type")));
    }

    private static void AddAuthDatabase(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("authdb");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("ConnectionStrings:authdb is not set: give the auth server its PostgreSQL database (ConnectionStrings__authdb).");

        builder.Services.AddDbContext<AuthDbContext>(options => options.UseNpgsql(connectionString));
        builder.Services.AddHealthChecks().AddDbContextCheck<AuthDbContext>("authdb");

        // Cookies and protected keys must survive restarts and be readable by every replica.
        builder.Services.AddDataProtection()
            .SetApplicationName("OAuthDemo.AuthServer")
            .PersistKeysToDbContext<AuthDbContext>();
    }

    private static void AddIdentityAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddIdentity<ApplicationUser, IdentityRole>(options =>
            {
                // Lock an account for a while after repeated failures: slows password guessing.
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.User.RequireUniqueEmail = false;
                // Length over composition rules (NIST SP 800-63B §5.1.1.2).
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                // Claims the OpenIddict principal uses, so the cookie and the tokens agree.
                options.ClaimsIdentity.UserNameClaimType = Claims.Name;
                options.ClaimsIdentity.UserIdClaimType = Claims.Subject;
                options.ClaimsIdentity.EmailClaimType = Claims.Email;
                options.ClaimsIdentity.RoleClaimType = Claims.Role;
            })
            .AddEntityFrameworkStores<AuthDbContext>()
            .AddDefaultTokenProviders();

        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/login";
            options.LogoutPath = "/connect/endsession";
            options.Cookie.Name = "oauthdemo.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax; // sent on the top-level redirect back from a client
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
        });

        builder.Services.AddRazorPages();
    }
}
