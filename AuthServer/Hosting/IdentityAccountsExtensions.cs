using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using OAuthDemo.AuthServer.Configuration;
using OAuthDemo.AuthServer.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OAuthDemo.AuthServer.Hosting;

internal static class IdentityAccountsExtensions
{
    /// <summary>ASP.NET Core Identity (users, password checks, lockout, the login cookie) and the pages.</summary>
    public static void AddIdentityAccounts(this WebApplicationBuilder builder, AuthServerSettings settings)
    {
        builder.Services.AddIdentity<ApplicationUser, IdentityRole>(options =>
            {
                // Guessing from one address is stopped by the failed-attempt limits (a few per
                // quarter hour, FailedAttemptLimiter), long before this. The lock is the backstop
                // for guessing spread over many addresses; set high, so that locking someone out
                // takes that much effort (a low count lets anyone lock any account at will).
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 50;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
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
            options.LogoutPath = ProtocolEndpoints.PathOf(ProtocolEndpoints.EndSession);
            options.Cookie.Name = TransportSecurity.CookieName(builder.Environment, "oauthdemo.auth"); // __Host- outside Development
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax; // sent on the top-level redirect back from a client
            options.Cookie.SecurePolicy = TransportSecurity.CookieSecurity(builder.Environment);
            options.ExpireTimeSpan = settings.SignInLifetime; // AuthServer:SignInLifetime, 8 hours
            options.SlidingExpiration = true;
        });

        // Identity re-creates the cookie's principal every 30 minutes (security stamp check); the
        // password sign-in time must survive that, or max_age and auth_time would move with it.
        builder.Services.Configure<SecurityStampValidatorOptions>(options => options.OnRefreshingPrincipal = context =>
        {
            if (context.CurrentPrincipal?.FindFirst(Claims.AuthenticationTime) is { } authTime && context.NewPrincipal?.Identity is ClaimsIdentity identity)
                identity.AddClaim(new Claim(Claims.AuthenticationTime, authTime.Value));
            return Task.CompletedTask;
        });

        // Login, consent, sign-out and error pages. The authorization and end-session pages answer
        // on the protocol paths OpenIddict was given.
        builder.Services.AddRazorPages(options =>
        {
            options.Conventions.AddPageRouteModelConvention("/Connect/Authorize", page => page.RouteAt(ProtocolEndpoints.Authorization));
            options.Conventions.AddPageRouteModelConvention("/Connect/EndSession", page => page.RouteAt(ProtocolEndpoints.EndSession));
        });
    }

    private static void RouteAt(this PageRouteModel page, string path)
    {
        foreach (var selector in page.Selectors)
            selector.AttributeRouteModel!.Template = path;
    }
}
