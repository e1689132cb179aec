using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace OAuthDemo.UnitTests;

/// <summary>Which failures mean "a dependency is away" (503, try again) and which are real errors (500).</summary>
public class DependencyOutageTests
{
    private static PostgresException Postgres(string sqlState) => new("message", "FATAL", "FATAL", sqlState);

    public static TheoryData<Exception> Outages =>
    [
        new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)),
        Postgres(PostgresErrorCodes.AdminShutdown),            // 57P01: the server is restarting
        Postgres(PostgresErrorCodes.CannotConnectNow),         // 57P03: still starting
        Postgres(PostgresErrorCodes.ConnectionFailure),        // 08006
        Postgres(PostgresErrorCodes.TooManyConnections),
        new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", new NpgsqlException("reset")),
        new DbUpdateException("save failed", new NpgsqlException("reset")),
        // Calls to another service that got no answer.
        new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)),
        new InvalidOperationException("IDX20803: Unable to obtain configuration", new HttpRequestException("reset")),
        new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 10 seconds elapsing.", new TimeoutException()),
    ];

    public static TheoryData<Exception> Errors =>
    [
        Postgres(PostgresErrorCodes.UniqueViolation),
        Postgres(PostgresErrorCodes.UndefinedTable),
        new DbUpdateException("save failed", Postgres(PostgresErrorCodes.ForeignKeyViolation)),
        new InvalidOperationException("a bug"),
        new TimeoutException("not the database"),
        new TaskCanceledException("the caller gave up"),
        // An answer, even a bad one, is not an outage.
        new HttpRequestException("Response status code does not indicate success: 400", null, System.Net.HttpStatusCode.BadRequest),
    ];

    [Theory]
    [MemberData(nameof(Outages))]
    public void An_unreachable_database_or_service_is_an_outage(Exception exception)
    {
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, DependencyOutage.StatusCodeOf(exception));
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void A_refused_statement_an_answer_or_a_bug_is_not(Exception exception)
    {
        Assert.False(DependencyOutage.IsOutage(exception) || DependencyOutage.IsUnansweredCall(exception));
        Assert.Equal(StatusCodes.Status500InternalServerError, DependencyOutage.StatusCodeOf(exception));
    }

    [Fact]
    public void An_unreadable_request_keeps_its_own_status() =>
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, DependencyOutage.StatusCodeOf(new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge)));
}
