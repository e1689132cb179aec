using OAuthDemo.WebClient;
using OAuthDemo.WebClient.Api;
using OAuthDemo.WebClient.AttackLab;
using OAuthDemo.WebClient.Authentication;
using OAuthDemo.WebClient.Data;
using OAuthDemo.WebClient.FlowInspector;
using OAuthDemo.WebClient.Spa;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWebDatabase();                                          // webdb: sessions, flow records, Data Protection keys
// A cookie session whose tokens stay on this server, and the OpenID Connect handler: authorization
// code + PKCE as the confidential client "webclient" (Authentication/WebClientAuthenticationExtensions).
builder.AddWebClientAuthentication();
builder.Services.AddFlowInspector();                               // /flow: every step of your sign-in
builder.Services.AddNotesApiClient(builder.Configuration);         // the API, with the user's access token
builder.AddAttackLab();                                            // /lab: real attacks on your own session (Development only)
builder.Services.AddRazorPages();

var app = builder.Build();
await app.MigrateWebDatabaseAsync();

app.UseTransportSecurity();  // outside Development: https only (redirect, HSTS); forwarded headers from known proxies

// An unhandled exception shows /error (an apology and the trace id; 503 "try again" while the
// database is away), in Development too: the people who read these pages are learners, and the
// stack trace is in the dashboard.
// A fresh DI scope for the error page: the failed request's authentication result (say, the
// session store unreachable) must not be replayed while the page renders.
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    ExceptionHandlingPath = "/error",
    StatusCodeSelector = DependencyOutage.StatusCodeOf,
    CreateScopeForErrors = true,
});

// Own scripts and styles only, never framed; /spa may fetch from the auth server and the API, and
// the sign-out form goes on to the auth server.
app.UseBrowserDefences(ContentSecurityPolicy.ForPages(
    connectTo: [ServiceUrls.AuthServer(app.Configuration), ServiceUrls.ResourceApi(app.Configuration)],
    formTargets: [ServiceUrls.AuthServer(app.Configuration)]));
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapDefaultEndpoints();    // /health, /alive
app.MapAccountEndpoints();    // /account/login, /account/logout
app.MapSpa();                 // /spa: the public-client variant, in the browser
app.MapRazorPages();          // home, profile, notes, flow inspector, attack lab

app.Run();
