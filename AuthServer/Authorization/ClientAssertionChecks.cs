using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OAuthDemo.AuthServer.Data;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace OAuthDemo.AuthServer.Authorization;

/// <summary>
/// What OpenIddict leaves to us for private_key_jwt client authentication (RFC 7523): each
/// assertion is accepted once (its jti, shared by every replica through authdb), lives at most
/// <see cref="MaxLifetime"/> and not past its exp, and is signed with an algorithm on the advertised list. Any refused
/// assertion is <c>invalid_client</c>, the error RFC 6749 §5.2 and RFC 7521 §4.2.1 name for a
/// failed client authentication.
/// </summary>
internal static class ClientAssertionChecks
{
    /// <summary>Advertised in discovery and enforced: asymmetric only, no "none" (RFC 8725 §3.1).</summary>
    public static readonly ImmutableArray<string?> SigningAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSha256];

    /// <summary>An assertion valid for longer is refused: the jti records need keeping only that long.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How far past its exp an assertion is still taken, for clocks a little apart (OpenIddict alone
    /// would allow five minutes).
    /// </summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private const string UnderValidation = "oauthdemo:client_assertion_under_validation";

    public static OpenIddictServerBuilder AddClientAssertionChecks(this OpenIddictServerBuilder options) => options
        // Before OpenIddict validates an assertion: from here until it is accepted, a refusal is a
        // failed client authentication.
        .AddEventHandler<ProcessAuthenticationContext>(h => h
            .UseInlineHandler(context =>
            {
                if (!string.IsNullOrEmpty(context.ClientAssertion))
                    context.Transaction.Properties[UnderValidation] = true;
                return ValueTask.CompletedTask;
            })
            .SetOrder(ValidateClientAssertion.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom))
        // After all of OpenIddict's client authentication (the assertion's signature against the
        // client's JWKS, type, aud, exp, iss = sub; then the client, its type and credentials), so
        // only an otherwise accepted assertion spends its jti.
        .AddEventHandler<ProcessAuthenticationContext>(h => h
            .AddFilter<OpenIddictServerHandlerFilters.RequireClientAssertionPrincipal>()
            .UseScopedHandler<SingleUseClientAssertion>()
            .SetOrder(ValidateClientCertificate.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom))
        .AddEventHandler<ProcessErrorContext>(h => h
            .UseInlineHandler(context =>
            {
                if (context.Transaction.Properties.ContainsKey(UnderValidation))
                    context.Error = Errors.InvalidClient;
                return ValueTask.CompletedTask;
            })
            .SetOrder(AttachErrorParameters.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom))
        .AddEventHandler<HandleConfigurationRequestContext>(h => h
            .UseInlineHandler(context =>
            {
                // RFC 8414 §2: which algorithms private_key_jwt assertions may use, per endpoint.
                foreach (var endpoint in new[] { "token", "introspection", "revocation" })
                    context.Metadata[$"{endpoint}_endpoint_auth_signing_alg_values_supported"] = new OpenIddictParameter(SigningAlgorithms);
                return ValueTask.CompletedTask;
            })
            .SetOrder(Discovery.AttachAdditionalMetadata.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom));

    /// <summary>Clears the "under validation" mark: the assertion was accepted.</summary>
    internal static void Accept(ProcessAuthenticationContext context) => context.Transaction.Properties.Remove(UnderValidation);
}

/// <summary>Refuses a replayed, long-lived or wrongly signed assertion; records the jti of an accepted one.</summary>
internal sealed class SingleUseClientAssertion(AuthDbContext db, TimeProvider clock, ILogger<SingleUseClientAssertion> logger)
    : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    private const int MaxIdLength = 100; // the columns' length

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        var principal = context.ClientAssertionPrincipal!;
        var clientId = principal.GetClaim(Claims.Issuer)!; // OpenIddict checked iss = sub = client_id
        var jwtId = principal.GetClaim(Claims.JwtId);
        var expiresAt = principal.GetExpirationDate();
        var algorithm = new JsonWebToken(context.ClientAssertion).Alg;

        string? problem =
            !ClientAssertionChecks.SigningAlgorithms.Contains(algorithm) ? $"The client assertion is signed with {algorithm}, which is not accepted."
            : string.IsNullOrEmpty(jwtId) || jwtId.Length > MaxIdLength || jwtId.Any(char.IsControl)
                ? "The client assertion must carry a jti of at most 100 characters, without control characters."
            : clientId.Length > MaxIdLength ? "The client identifier is too long."
            : expiresAt is null || expiresAt < clock.GetUtcNow() - ClientAssertionChecks.ClockSkew ? "The client assertion has expired."
            : expiresAt > clock.GetUtcNow() + ClientAssertionChecks.MaxLifetime ? "The client assertion must expire within 5 minutes."
            : null;

        // RFC 7523 §3: the server may keep used jti values and refuse a second use. Kept in authdb
        // until the assertion expires, so every replica knows it; expired records go on the way.
        if (problem is null && await RecordAsync(clientId, jwtId!, expiresAt!.Value) == 0)
        {
            problem = "This client assertion has been used already.";
            logger.LogWarning("Refused a replayed client assertion of client {ClientId} (jti {JwtId})", clientId, jwtId);
        }

        if (problem is not null)
        {
            context.Reject(Errors.InvalidClient, problem);
            return;
        }
        ClientAssertionChecks.Accept(context);
    }

    private Task<int> RecordAsync(string clientId, string jwtId, DateTimeOffset expiresAt) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            WITH expired AS (DELETE FROM "UsedClientAssertions" WHERE "ExpiresAt" < now() - interval '5 minutes')
            INSERT INTO "UsedClientAssertions" ("ClientId", "JwtId", "ExpiresAt") VALUES ({clientId}, {jwtId}, {expiresAt})
            ON CONFLICT DO NOTHING
            """);
}
