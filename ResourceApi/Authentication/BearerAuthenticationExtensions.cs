using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace OAuthDemo.ResourceApi.Authentication;

internal static class BearerAuthenticationExtensions
{
    /// <summary>This API's audience: access tokens for anything else are refused.</summary>
    public const string Audience = "resource-api";

    public static IHostApplicationBuilder AddBearerAuthentication(this IHostApplicationBuilder builder)
    {
        var config = builder.Configuration;
        // Authentication:Authority when set (standalone), else the auth server found by service discovery.
        var authority = config.GetAuthority();
        var clockSkew = config.GetValue("Authentication:ClockSkew", TimeSpan.FromSeconds(30));
        var keyRefreshInterval = config.GetValue("Authentication:KeyRefreshInterval", TimeSpan.FromMinutes(1));
        var newKeyRetry = new NewSigningKeyRetry(keyRefreshInterval, TimeProvider.System);

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                // Signing keys and issuer come from the auth server's discovery document and JWKS.
                options.Authority = authority;
                options.Audience = Audience;
                options.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
                options.MapInboundClaims = false; // keep sub, client_id, scope as the token names them
                options.IncludeErrorDetails = true; // error_description in WWW-Authenticate (RFC 6750 §3)

                // The JWKS is re-read every hour, well inside the auth server's key pre-publication
                // (2 days), so a new key is known before it signs. A token naming an unknown kid also
                // triggers a refresh, at most once per Authentication:KeyRefreshInterval (a minute):
                // a key rotated "now" is picked up at once, and forged kids cannot cause a storm.
                options.AutomaticRefreshInterval = TimeSpan.FromHours(1);
                options.RefreshOnIssuerKeyNotFound = true;
                options.RefreshInterval = keyRefreshInterval;

                // RFC 6750 §3: say why a token was refused, also when JwtBearer has no text for it
                // (a malformed token, for one).
                options.Events = new JwtBearerEvents
                {
                    // A key the auth server has just started signing with is fetched at once.
                    OnAuthenticationFailed = newKeyRetry.OnAuthenticationFailedAsync,
                    OnChallenge = context =>
                    {
                        if (context.AuthenticateFailure is not null && string.IsNullOrEmpty(context.ErrorDescription))
                            context.ErrorDescription = "The access token is malformed or could not be validated";
                        return Task.CompletedTask;
                    },
                };

                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidAudience = Audience,
                    ValidateLifetime = true, // exp and nbf
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = clockSkew,
                    // RFC 8725 §3.1: an allow-list, so alg=none and HS256-with-the-public-key fail.
                    ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
                    // RFC 9068 §4: only access tokens; an ID token (typ JWT) is not one.
                    ValidTypes = ["at+jwt", "application/at+jwt"],
                    NameClaimType = "sub",
                };
            });

        return builder;
    }
}
