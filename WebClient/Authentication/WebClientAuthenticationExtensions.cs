using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace OAuthDemo.WebClient.Authentication;

internal static class WebClientAuthenticationExtensions
{
    /// <summary>
    /// A cookie session whose tokens stay on the server, and the OpenID Connect handler that signs
    /// users in with the authorization code flow and PKCE as the confidential client <c>webclient</c>.
    /// </summary>
    public static WebApplicationBuilder AddWebClientAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebClientSettings>().BindConfiguration(WebClientSettings.SectionName)
            .Validate(s => !string.IsNullOrEmpty(s.ClientSecret), "WebClient:ClientSecret is not set: the web client is a confidential client (the AppHost sets it).")
            .ValidateOnStart();
        var settings = builder.Configuration.GetSection(WebClientSettings.SectionName).Get<WebClientSettings>() ?? new();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SessionTicketStore>();
        services.AddSingleton<RefreshTokenClient>();
        services.AddSingleton<SessionRefresher>();
        services.AddScoped<SessionCookieEvents>();
        services.AddSingleton<SessionFixationDefence>();
        services.AddSingleton<SignInEvents>();
        // Its POSTs are never retried (ServiceDefaults): a retried refresh could spend a token twice.
        services.AddHttpClient(RefreshTokenClient.HttpClientName);

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                // Unauthenticated page requests go to /account/login, which starts the flow.
                options.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                options.Cookie.Name = TransportSecurity.CookieName(builder.Environment, "oauthdemo.web"); // __Host- outside Development
                options.Cookie.HttpOnly = true; // no script can read the session
                options.Cookie.SameSite = SameSiteMode.Lax; // not sent on cross-site POSTs (CSRF)
                options.Cookie.SecurePolicy = TransportSecurity.CookieSecurity(builder.Environment); // Secure always outside Development
                options.LoginPath = "/account/login";
                options.AccessDeniedPath = "/";
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.EventsType = typeof(SessionCookieEvents); // renews the access token before it expires
            })
            .AddOpenIdConnect(options =>
            {
                // Authentication:Authority when set (standalone), else the auth server found by service discovery.
                options.Authority = builder.Configuration.GetAuthority();
                options.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
                // Discovery, the pushed request and the code redemption: with the auth server down,
                // the sign-in page says so after 10 s instead of the default 60.
                options.BackchannelTimeout = TimeSpan.FromSeconds(10);
                options.ClientId = settings.ClientId;
                options.ClientSecret = settings.ClientSecret;

                // Authorization code with PKCE (S256), even for a confidential client (RFC 9700 §2.1.1).
                options.ResponseType = OpenIdConnectResponseType.Code;
                options.UsePkce = true;
                // A plain redirect back (query), so the correlation cookies can stay SameSite=Lax.
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
                // The request is pushed to the auth server first, authenticated (PAR, RFC 9126); the
                // browser carries only client_id and a one-time request_uri. The server requires it.
                options.PushedAuthorizationBehavior = PushedAuthorizationBehavior.Require;

                options.Scope.Clear();
                foreach (var scope in settings.Scopes)
                    options.Scope.Add(scope);

                options.SaveTokens = true; // into the server-side ticket, not the cookie
                options.GetClaimsFromUserInfoEndpoint = true;
                options.MapInboundClaims = false;
                options.TokenValidationParameters.NameClaimType = "name";
                // The auth server signs ID tokens with RS256; nothing else is accepted (RFC 8725 §3.1).
                options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256];
                options.DisableTelemetry = true; // no x-client-SKU/ver parameters in the requests learners read
                options.CallbackPath = "/signin-oidc";
                // A denied consent or a failed callback sends the user home saying so, not to a 500.
                options.AccessDeniedPath = $"/?{SignInEvents.ErrorQuery}=access_denied";
                options.EventsType = typeof(SignInEvents);
                options.SignedOutCallbackPath = "/signout-callback-oidc";
            });

        // The session ticket (claims and tokens) lives in webdb; the cookie carries only its key.
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionTicketStore>((options, store) => options.SessionStore = store);

        services.AddAuthorization();
        return builder;
    }
}
