using OAuthDemo.AuthServer;
using OAuthDemo.AuthServer.Authorization;
using OAuthDemo.AuthServer.Configuration;
using OAuthDemo.AuthServer.Data;
using OAuthDemo.AuthServer.Data.Stores;
using OAuthDemo.AuthServer.Endpoints;
using OAuthDemo.AuthServer.Hosting;
using OAuthDemo.AuthServer.Keys;
using OAuthDemo.AuthServer.Observability;
using OAuthDemo.AuthServer.Seeding;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

// AuthServer:* (clients, scopes, users, lifetimes), validated before anything starts: a setting
// that cannot work stops the start with a message naming it.
var settings = builder.AddAuthServerSettings();

builder.AddAuthDatabase();                        // authdb: EF Core, and the Data Protection key ring
builder.AddIdentityAccounts(settings);            // users, password hashing, lockout, the login cookie
builder.Services.AddPublicClientCors(settings);   // fetch from the /spa origin, and no other
builder.Services.AddTokenKeys();                  // signing and encryption keys in authdb, rotating (AuthServer:Keys)
builder.Services.AddConfigurationSeeding();       // clients, scopes and users from AuthServer:*
builder.Services.AddOutageProblemDetails();     // failures as problem documents; 503 while authdb is away
builder.Services.AddSingleton<TokenMetrics>();
builder.Services.AddSingleton<FailedAttemptLimiter>();       // failed sign-ins and client authentications per source, in authdb
builder.Services.AddHostedService<BlockedSourcesReader>();
builder.Services.AddScoped<UnknownUserPasswordCheck>();         // as slow as a real password check
builder.Services.AddScoped<TokenPrincipalFactory>();
builder.Services.AddTokenIssuanceStores();        // verified secrets, clients in memory, batched token writes

builder.Services.AddOpenIddict()
    .AddCore(options =>
    {
        // Applications (clients), authorizations, scopes and tokens live in authdb.
        options.UseEntityFrameworkCore().UseDbContext<AuthDbContext>();
        // Issuing a token must not cost a PBKDF2 secret check, a client query and a tracked
        // SaveChanges every time: a verified secret is recognised, clients come from memory while
        // every change is announced, and new tokens are stored in batches (Data/Stores).
        options.ReplaceApplicationManager(typeof(VerifiedSecretApplicationManager<>));
        options.ReplaceApplicationStore<OpenIddictEntityFrameworkCoreApplication, SnapshotApplicationStore>(ServiceLifetime.Scoped);
        options.ReplaceTokenStore<OpenIddictEntityFrameworkCoreToken, BatchedTokenStore>(ServiceLifetime.Scoped);
    })
    .AddServer(options =>
    {
        // OpenIddict answers discovery, the JWKS, revocation and introspection by itself. It also
        // validates authorization, token, userinfo and end-session requests, then passes them
        // through (below) to Pages/Connect and Endpoints/, which decide who signs in.
        options.SetAuthorizationEndpointUris(ProtocolEndpoints.Authorization)
               .SetPushedAuthorizationEndpointUris(ProtocolEndpoints.PushedAuthorization)
               .SetTokenEndpointUris(ProtocolEndpoints.Token)
               .SetUserInfoEndpointUris(ProtocolEndpoints.UserInfo)
               .SetEndSessionEndpointUris(ProtocolEndpoints.EndSession)
               .SetRevocationEndpointUris(ProtocolEndpoints.Revocation)
               .SetIntrospectionEndpointUris(ProtocolEndpoints.Introspection);

        // The AppHost sets the issuer to the address browsers use; without it, each request's host.
        if (Uri.TryCreate(settings.Issuer, UriKind.Absolute, out var issuer))
            options.SetIssuer(issuer);

        // Code (+ refresh) for users, client credentials for machines. No implicit and no
        // password grant: RFC 9700 §2.1.2 and §2.4 deprecate both.
        options.AllowAuthorizationCodeFlow()
               .AllowRefreshTokenFlow()
               .AllowClientCredentialsFlow();

        // PKCE on every authorization request, S256 only: "plain" protects nothing once the
        // challenge leaks (RFC 9700 §2.1.1).
        options.RequireProofKeyForCodeExchange();
        options.Configure(o => o.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));

        // Pushed authorization requests (RFC 9126): a confidential client posts its request,
        // authenticated, and sends the browser only a request_uri. Required per client
        // (AuthServer:Clients:{id}:RequirePushedAuthorization), so public clients may still send
        // plain requests. A request_uri lives a few minutes (AuthServer:PushedRequestLifetime, long
        // enough to sign in and consent) and is spent when its code is issued.
        options.Configure(o => o.RequestTokenLifetime = settings.PushedRequestLifetime);

        // Clients with a registered JWKS authenticate with a signed JWT instead of a secret
        // (private_key_jwt, RFC 7523 §2.2); OpenIddict checks its signature, iss = sub = client_id,
        // exp and aud; ClientAssertionChecks (below) adds single use of each jti, a 5-minute
        // ceiling and an algorithm list, and answers every refusal with invalid_client.

        // Advertised in discovery. The API scopes' audiences come from the same configuration
        // (AuthServer:Scopes), which ScopeSeeder also copies into authdb.
        options.RegisterScopes([Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, .. settings.Scopes.Keys]);
        options.RegisterClaims(Claims.Name, Claims.PreferredUsername, Claims.Email, Claims.EmailVerified, Claims.AuthenticationTime);

        // Access tokens are signed JWTs (RFC 9068, typ at+jwt) that any resource server validates
        // alone against the JWKS, so they are not encrypted. Codes and refresh tokens are
        // encrypted: only this server reads them.
        options.DisableAccessTokenEncryption();
        // nbf (= issue time) on every JWT, so resource servers can check it (RFC 7519 §4.1.5).
        options.Configure(o => o.JsonWebTokenHandler.SetDefaultTimesOnTokenCreation = true);

        // Short-lived access tokens (15 minutes by default) and refresh tokens that rotate on
        // every use: a reuse past the leeway (zero by default) revokes every token of that sign-in
        // (RFC 9700 §4.14.2).
        options.SetAccessTokenLifetime(settings.AccessTokenLifetime)
               .SetRefreshTokenLifetime(settings.RefreshTokenLifetime)
               .SetRefreshTokenReuseLeeway(settings.RefreshTokenReuseLeeway);

        var aspNetCore = options.UseAspNetCore()
               .EnableAuthorizationEndpointPassthrough()   // Pages/Connect/Authorize: login, consent, code
               .EnableTokenEndpointPassthrough()           // Endpoints/TokenEndpoint: who the tokens are for
               .EnableUserInfoEndpointPassthrough()        // Endpoints/UserInfoEndpoint: claims by scope
               .EnableEndSessionEndpointPassthrough()      // Pages/Connect/EndSession: sign-out confirmation
               .EnableStatusCodePagesIntegration();        // errors that cannot be redirected: the /error page

        // Plain HTTP only for local development; anywhere else OpenIddict refuses it.
        if (builder.Environment.IsDevelopment())
            aspNetCore.DisableTransportSecurityRequirement();

        // Our handlers in OpenIddict's pipeline: RFC wording of errors, and an audit event and a
        // metric for every token issued, refreshed, revoked or refused.
        options.AddProtocolHandlers()
               .AddTokenEventHandlers()
               .AddActiveKeySelection()          // each token signed with the key active now (Keys/)
               .AddClientAssertionChecks()       // private_key_jwt: single use, short life, invalid_client
               .AddFailedClientAuthenticationCount(); // each invalid_client counts against its source
    });

var app = builder.Build();

// Migrate, load the token keys and seed clients, scopes and users before listening, so the
// server reports healthy only when it can serve.
await app.InitializeAuthServerAsync();

app.UseTransportSecurity();   // outside Development: https only (redirect, HSTS); forwarded headers from known proxies
app.UseErrorPages();          // /error for browsers; protocol JSON endpoints keep their bare answers
// Own scripts and styles only, never framed. No form-action: the consent form's answer redirects
// to each client's redirect URI, and browsers apply form-action to those redirects too.
app.UseBrowserDefences(ContentSecurityPolicy.ForPages());
app.UseStaticFiles();
app.UsePublicClientCors();
app.UseMalformedRequestRejection(); // a NUL or an unreadable form: 400 invalid_request, not a 500
app.UseFailedClientAuthenticationLimit(); // a source that keeps failing client authentication waits (429)
app.UseRedemptionTransactions();  // a code or refresh token is spent only together with the tokens that replace it
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapDefaultEndpoints();    // /health, /alive
app.MapTokenEndpoint();
app.MapUserInfoEndpoint();
app.MapKeyRotationEndpoint(); // POST /admin/keys/rotate, for the AppHost's command
app.MapRazorPages();          // login, consent, sign-out, error

app.Run();
