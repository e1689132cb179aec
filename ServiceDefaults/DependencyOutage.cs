using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// While something a service depends on is away (PostgreSQL down or restarting, the auth server
/// or the API not answering), a request that needs it is answered <c>503</c> with
/// <c>Retry-After</c>, never a 500 with internals, and works again as soon as it is back: Npgsql's
/// pool and HttpClient's connections recover by themselves, so no service needs a restart.
/// </summary>
public static class DependencyOutage
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Tells the caller, on a 503, when to try again.</summary>
    public static void AskToRetryLater(HttpResponse response) =>
        response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The connection string with Npgsql's keepalive on. A database restart breaks every pooled
    /// connection, and Npgsql hands each one out again (failing one more request) unless something
    /// notices first: a keepalive on idle connections does, so the pool is fresh within seconds of
    /// the database coming back.
    /// </summary>
    public static string WithIdleConnectionChecks(string? connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 5 }.ConnectionString;

    /// <summary>
    /// True when the exception, or one inside it, says the database could not be reached or went
    /// away (refused, reset, timed out, shutting down), not that it refused this request's data.
    /// </summary>
    public static bool IsOutage(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException postgres)
                // 08: connection exception; 57P: operator intervention (shutdown, restart); 53300: too many connections.
                return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
                       || postgres.SqlState == PostgresErrorCodes.TooManyConnections;
            if (e is NpgsqlException)
                return true; // no answer from the server at all
        }
        return false;
    }

    /// <summary>
    /// True when a call to another service got no answer at all (refused, reset, timed out, or
    /// cut short by the resilience pipeline), as opposed to an answer this service did not like.
    /// </summary>
    public static bool IsUnansweredCall(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // The last: HttpClient.Timeout ran out (the OIDC handler's back channel has no pipeline).
            if (e is HttpRequestException { StatusCode: null } or Polly.ExecutionRejectedException or TaskCanceledException { InnerException: TimeoutException })
                return true;
        }
        return false;
    }

    /// <summary>The status an unhandled exception gets: 503 when a dependency is away, 400 for an unreadable request, else 500.</summary>
    public static int StatusCodeOf(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ when IsOutage(exception) || IsUnansweredCall(exception) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// Problem documents (RFC 9457) for failures, with <c>Retry-After</c> on a 503. The
    /// <c>error</c> member makes the same answer an OAuth error (<c>temporarily_unavailable</c>)
    /// for clients of the protocol endpoints.
    /// </summary>
    public static IServiceCollection AddOutageProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status != StatusCodes.Status503ServiceUnavailable)
                return;
            AskToRetryLater(context.HttpContext.Response);
            context.ProblemDetails.Title = "Temporarily unavailable";
            context.ProblemDetails.Detail = "A service this one depends on is not answering. Try again in a few seconds.";
            context.ProblemDetails.Extensions["error"] = "temporarily_unavailable";
        });

    /// <summary>Unhandled exceptions become a problem document: 503 for an outage (see <see cref="StatusCodeOf"/>).</summary>
    public static IApplicationBuilder UseProblemDetailsForExceptions(this IApplicationBuilder app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = StatusCodeOf,
            ExceptionHandler = async context =>
            {
                var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails { Status = context.Response.StatusCode },
                    Exception = context.Features.Get<IExceptionHandlerFeature>()?.Error,
                });
            },
        });
}
