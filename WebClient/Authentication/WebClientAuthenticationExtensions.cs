using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

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
        services.AddSingleton<ServerSideTicketStore>();
        services.AddSingleton<RefreshTokenClient>();
        services.AddScoped<SessionCookieEvents>();
        services.AddHttpClient(RefreshTokenClient.HttpClientName);

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                // Unauthenticated page requests go to /account/login, which starts the flow.
                options.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                options.Cookie.Name = "oauthdemo.web";
                options.Cookie.HttpOnly = true; // no script can read the session
                options.Cookie.SameSite = SameSiteMode.Lax; // not sent on cross-site POSTs (CSRF)
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure whenever served over https
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
                options.ClientId = settings.ClientId;
                options.ClientSecret = settings.ClientSecret;

                // Authorization code with PKCE (S256), even for a confidential client (RFC 9700 §2.1.1).
                options.ResponseType = OpenIdConnectResponseType.Code;
                options.UsePkce = true;
                // A plain redirect back (query), so the correlation cookies can stay SameSite=Lax.
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
                // A classic front-channel request, so the flow inspector shows every parameter.
                options.PushedAuthorizationBehavior = PushedAuthorizationBehavior.Disable;

                options.Scope.Clear();
                foreach (var scope in settings.Scopes)
                    options.Scope.Add(scope);

                options.SaveTokens = true; // into the server-side ticket, not the cookie
                options.GetClaimsFromUserInfoEndpoint = true;
                options.MapInboundClaims = false;
                options.TokenValidationParameters.NameClaimType = "name";
                options.DisableTelemetry = true; // no x-client-SKU/ver parameters in the requests learners read
                options.CallbackPath = "/signin-oidc";
                options.SignedOutCallbackPath = "/signout-callback-oidc";
            });

        // The session ticket (claims and tokens) lives on the server; the cookie carries only its key.
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<ServerSideTicketStore>((options, store) => options.SessionStore = store);

        services.AddAuthorization();
        return builder;
    }
}
