using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OAuthDemo.AuthServer.Data;
using OpenTelemetry;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using OAuthDemo.AuthServer.Configuration;
using OpenIddict.Server;
using Microsoft.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace OAuthDemo.AuthServer.Authorization;

/// <summary>
/// Counts failures per source (AuthServer:FailedAttempts) in authdb, so every replica counts the
/// same failures, and says when a source must wait. Only failures count, so whoever succeeds is
/// never slowed; a source that has used up its failures waits out its window, whatever it sends.
/// Checking costs no database query: a replica knows the sources its own failures blocked at once,
/// and reads those the others blocked every second (<see cref="BlockedSourcesReader"/>).
/// </summary>
public sealed class FailedAttemptLimiter(IServiceScopeFactory scopes, IOptions<AuthServerSettings> options, TimeProvider clock)
{
    private const string SignInAddress = "sign-in address";
    private const string SignInUser = "sign-in user";
    private const string Client = "client";

    private readonly FailedAttemptSettings _settings = options.Value.FailedAttempts;
    private volatile IReadOnlyDictionary<string, DateTimeOffset> _blockedElsewhere = new Dictionary<string, DateTimeOffset>();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _blockedHere = new();

    /// <summary>The sources of a sign-in: its address, and its address with the user name typed.</summary>
    public static string[] SignInSources(IPAddress? address, string userName) =>
        [$"{SignInAddress} {address}", $"{SignInUser} {address} {userName.Trim().ToUpperInvariant()}"];

    /// <summary>The source of a client authentication: its address and the client id it claims.</summary>
    public static string[] ClientSources(HttpRequest request) => [$"{Client} {request.HttpContext.Connection.RemoteIpAddress} {ClaimedClientId(request)}"];

    /// <summary>Whether any of <paramref name="sources"/> has used up its failures, and for how long.</summary>
    public bool MustWait(IEnumerable<string> sources, out TimeSpan retryAfter)
    {
        var now = clock.GetUtcNow();
        var until = sources.Select(Key).Select(key =>
                (_blockedHere.TryGetValue(key, out var here) ? here : DateTimeOffset.MinValue) is var local
                && _blockedElsewhere.TryGetValue(key, out var elsewhere) && elsewhere > local ? elsewhere : local)
            .Max();
        retryAfter = until - now;
        return until > now;
    }

    /// <summary>The answer to a source that must wait: 429 Too Many Requests and when to come back (RFC 6585 §4).</summary>
    public static void AnswerTooManyRequests(HttpResponse response, TimeSpan retryAfter)
    {
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Counts a failure of each source; a source that reaches its limit is blocked here at once.</summary>
    public async Task RecordFailureAsync(IEnumerable<string> sources, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        foreach (var source in sources)
        {
            var key = Key(source);
            var limit = LimitOf(source);
            // One statement: a new window when the last one has passed, else one more failure.
            var counted = await db.Database.SqlQuery<Counted>($"""
                INSERT INTO "FailedAttempts" AS a ("Source", "WindowStart", "Failures", "Limit") VALUES ({key}, now(), 1, {limit})
                ON CONFLICT ("Source") DO UPDATE SET
                    "WindowStart" = CASE WHEN a."WindowStart" + {_settings.Window} <= now() THEN now() ELSE a."WindowStart" END,
                    "Failures" = CASE WHEN a."WindowStart" + {_settings.Window} <= now() THEN 1 ELSE a."Failures" + 1 END,
                    "Limit" = {limit}
                RETURNING "WindowStart", "Failures"
                """).ToListAsync(ct);
            if (counted is [var row] && row.Failures >= limit)
                _blockedHere[key] = row.WindowStart + _settings.Window;
        }
    }

    /// <summary>What every replica has blocked, read from authdb; and forgets the windows that have passed.</summary>
    internal async Task ReadBlockedAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var window = _settings.Window;
        await db.Database.ExecuteSqlAsync($"""DELETE FROM "FailedAttempts" WHERE "WindowStart" + {window} < now()""", ct);
        _blockedElsewhere = await db.FailedAttempts.AsNoTracking()
            .Where(a => a.Failures >= a.Limit)
            .ToDictionaryAsync(a => a.Source, a => a.WindowStart + window, ct);
        foreach (var (key, until) in _blockedHere)
        {
            if (until <= clock.GetUtcNow())
                _blockedHere.TryRemove(key, out _);
        }
    }

    private int LimitOf(string source) =>
        source.StartsWith(SignInAddress, StringComparison.Ordinal) ? _settings.SignInsPerAddress
        : source.StartsWith(SignInUser, StringComparison.Ordinal) ? _settings.SignInsPerUserAndAddress
        : _settings.ClientAuthenticationsPerClientAndAddress;

    /// <summary>Sources are stored hashed: people type passwords into the user name field.</summary>
    private static string Key(string source) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)));

    private sealed record Counted(DateTimeOffset WindowStart, int Failures);

    /// <summary>
    /// The client id a request claims, before anything is verified: from HTTP Basic, the form's
    /// client_id, or the iss of a client assertion. Only a partition key; never trusted.
    /// </summary>
    private static string ClaimedClientId(HttpRequest request)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } encoded)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                return Uri.UnescapeDataString(decoded.Split(':', 2)[0]);
            }
            catch (FormatException)
            {
                return "(unreadable)";
            }
        }

        if (!request.HasFormContentType)
            return "(none)";
        if (request.Form[Parameters.ClientId].ToString() is { Length: > 0 } clientId)
            return clientId;
        if (request.Form[Parameters.ClientAssertion].ToString() is { Length: > 0 } assertion)
        {
            try
            {
                return new JsonWebToken(assertion).Issuer;
            }
            catch (ArgumentException)
            {
                return "(unreadable)";
            }
        }
        return "(none)";
    }
}

internal static class FailedAttemptLimits
{
    /// <summary>
    /// A source that has failed client authentication too often gets <c>429</c> with Retry-After
    /// at the token, introspection, revocation and pushed authorization endpoints, before
    /// OpenIddict checks anything.
    /// </summary>
    public static IApplicationBuilder UseFailedClientAuthenticationLimit(this IApplicationBuilder app) =>
        app.UseWhen(context => HttpMethods.IsPost(context.Request.Method) && AuthenticatesClients(context.Request.Path), limited => limited.Use(async (context, next) =>
        {
            var limiter = context.RequestServices.GetRequiredService<FailedAttemptLimiter>();
            if (context.Request.HasFormContentType)
                await context.Request.ReadFormAsync(context.RequestAborted);
            if (limiter.MustWait(FailedAttemptLimiter.ClientSources(context.Request), out var retryAfter))
            {
                FailedAttemptLimiter.AnswerTooManyRequests(context.Response, retryAfter);
                await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
                {
                    // Not invalid_client: a client that gets this must wait, not give up its tokens.
                    [Parameters.Error] = Errors.TemporarilyUnavailable,
                    [Parameters.ErrorDescription] = "Too many failed client authentications for this client from this address; retry after the time in Retry-After.",
                });
                return;
            }
            await next(context);
        }));

    /// <summary>Every <c>invalid_client</c> answer counts against its source (after the client assertion checks have named it).</summary>
    public static OpenIddictServerBuilder AddFailedClientAuthenticationCount(this OpenIddictServerBuilder options) => options
        .AddEventHandler<ProcessErrorContext>(h => h
            .UseInlineHandler(async context =>
            {
                if (context.Error is Errors.InvalidClient && context.Transaction.GetHttpRequest() is { } request && AuthenticatesClients(request.Path))
                    await request.HttpContext.RequestServices.GetRequiredService<FailedAttemptLimiter>()
                        .RecordFailureAsync(FailedAttemptLimiter.ClientSources(request), context.CancellationToken);
            })
            .SetOrder(AttachErrorParameters.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom));

    private static bool AuthenticatesClients(PathString path) =>
        path.StartsWithSegments(ProtocolEndpoints.PathOf(ProtocolEndpoints.Token))
        || path.StartsWithSegments(ProtocolEndpoints.PathOf(ProtocolEndpoints.Introspection))
        || path.StartsWithSegments(ProtocolEndpoints.PathOf(ProtocolEndpoints.Revocation))
        || path.StartsWithSegments(ProtocolEndpoints.PathOf(ProtocolEndpoints.PushedAuthorization));
}

/// <summary>Every second, what the other replicas have blocked (<see cref="FailedAttemptLimiter.ReadBlockedAsync"/>).</summary>
internal sealed partial class BlockedSourcesReader(FailedAttemptLimiter limiter, ILogger<BlockedSourcesReader> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Untraced: a query a second per replica would bury the traces a learner looks for (as
        // health probes would); a failed read is logged below.
        using var untraced = SuppressInstrumentationScope.Begin();
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await limiter.ReadBlockedAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database is away: keep what is known and try again next second.
                LogReadFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Could not read the blocked sources from authdb")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
