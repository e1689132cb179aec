using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;
using OpenIddict.EntityFrameworkCore.Models;

namespace OAuthDemo.AuthServer.Data.Stores;

/// <summary>
/// Stores the tokens of many concurrent requests with one statement and one commit. Every token is
/// still stored before its response is sent: each request awaits its own token. If a batch fails
/// for a reason of its own data (a constraint), its tokens are retried one by one, so one bad row
/// fails only its own request. Under light load a batch holds one token; it grows only when tokens
/// arrive while the previous write is in flight, so batching adds no waiting of its own.
/// </summary>
public sealed partial class TokenInsertBatcher : IAsyncDisposable
{
    private const int MaxBatch = 256;

    /// <summary>Each write's span, in the trace of the request whose token came first (the others are linked).</summary>
    private static readonly ActivitySource Telemetry = new("OAuthDemo.AuthServer.TokenStore");

    /// <summary>A write that takes longer than this fails its requests rather than holding every later one.</summary>
    private const int CommandTimeoutSeconds = 10;

    /// <summary>At shutdown, queued tokens get this long to be stored.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    private readonly Channel<PendingToken> _queue = Channel.CreateUnbounded<PendingToken>(new() { SingleReader = true });
    private readonly NpgsqlDataSource _dataSource;
    private readonly IServiceProvider _services;
    private readonly ILogger<TokenInsertBatcher> _logger;
    private readonly Task _writer;
    private string? _insert;

    private sealed record PendingToken(OpenIddictEntityFrameworkCoreToken Token, TaskCompletionSource Stored, ActivityContext Request);

    public TokenInsertBatcher(IConfiguration configuration, IServiceProvider services, ILogger<TokenInsertBatcher> logger)
    {
        _dataSource = NpgsqlDataSource.Create(AuthDatabaseConnection.ConnectionString(configuration));
        _services = services;
        _logger = logger;
        // Not in the execution context of the request that happened to create this singleton: its
        // trace and log scopes would otherwise follow every write for the life of the process.
        using (ExecutionContext.SuppressFlow())
            _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes once the token is committed; throws if it could not be stored.</summary>
    public Task InsertAsync(OpenIddictEntityFrameworkCoreToken token)
    {
        var pending = new PendingToken(token, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
            Activity.Current?.Context ?? default);
        if (!_queue.Writer.TryWrite(pending))
            throw new InvalidOperationException("The auth server is shutting down: tokens can no longer be stored.");
        return pending.Stored.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingToken>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                batch.Add(pending);

            using var activity = Telemetry.StartActivity("Store tokens", ActivityKind.Internal, batch[0].Request,
                links: batch.Skip(1).Where(p => p.Request != default).Select(p => new ActivityLink(p.Request)));
            activity?.SetTag("oauthdemo.tokens.batch_size", batch.Count);
            await WriteOrFailAsync(batch);
        }
    }

    private async Task WriteOrFailAsync(List<PendingToken> batch)
    {
        try
        {
            await WriteAsync(batch);
            foreach (var pending in batch)
                pending.Stored.TrySetResult();
        }
        catch (PostgresException ex) when (batch.Count > 1 && !ex.IsTransient)
        {
            // Something in the data (a constraint): find the bad tokens, store the others.
            foreach (var pending in batch)
                await WriteOrFailAsync([pending]);
        }
        catch (Exception ex)
        {
            LogWriteFailed(_logger, ex, batch.Count);
            foreach (var pending in batch)
                pending.Stored.TrySetException(ex);
        }
    }

    /// <summary>One INSERT … SELECT FROM unnest(arrays): the same statement for any batch size, so it is prepared once.</summary>
    private async Task WriteAsync(List<PendingToken> batch)
    {
        _insert ??= BuildInsert();
        await using var command = _dataSource.CreateCommand(_insert);
        command.CommandTimeout = CommandTimeoutSeconds;
        var tokens = batch.Select(p => p.Token).ToArray();
        Add(command, NpgsqlDbType.Text, tokens.Select(t => t.Id));
        Add(command, NpgsqlDbType.Text, tokens.Select(t => t.Application?.Id));
        Add(command, NpgsqlDbType.Text, tokens.Select(t => t.Authorization?.Id));
        Add(command, NpgsqlDbType.Text, tokens.Select(t => t.ConcurrencyToken));
        Add(command, NpgsqlDbType.TimestampTz, tokens.Select(t => t.CreationDate));
        Add(command, NpgsqlDbType.TimestampTz, tokens.Select(t => t.ExpirationDate));
        Add(command, NpgsqlDbType.Text, tokens.Select(t => t.Payload));
        Add(command, NpgsqlDbType.Text, tokens.Select(t => t.Properties));
        Add(command, NpgsqlDbType.TimestampTz, tokens.Select(t => t.RedemptionDate));
        Add(command, NpgsqlDbType.Text, tokens.Select(t => t.ReferenceId));
        Add(command, NpgsqlDbType.Text, tokens.Select(t => t.Status));
        Add(command, NpgsqlDbType.Text, tokens.Select(t => t.Subject));
        Add(command, NpgsqlDbType.Text, tokens.Select(t => t.Type));
        await command.ExecuteNonQueryAsync();
    }

    private static void Add<T>(NpgsqlCommand command, NpgsqlDbType type, IEnumerable<T> values) =>
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values.ToArray() });

    /// <summary>
    /// The token's properties, in the order <see cref="WriteAsync"/> binds them: every property of the
    /// EF Core model (a unit test holds this list to the model).
    /// </summary>
    internal static readonly string[] Columns = ["Id", "ApplicationId", "AuthorizationId", "ConcurrencyToken", "CreationDate", "ExpirationDate",
        "Payload", "Properties", "RedemptionDate", "ReferenceId", "Status", "Subject", "Type"];

    /// <summary>Table and column names come from the EF Core model, so they follow the migrations.</summary>
    private string BuildInsert()
    {
        using var scope = _services.CreateScope();
        var entity = scope.ServiceProvider.GetRequiredService<AuthDbContext>().Model.FindEntityType(typeof(OpenIddictEntityFrameworkCoreToken))
            ?? throw new InvalidOperationException("The token entity is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => "\"" + entity.FindProperty(property)!.GetColumnName(table) + "\"";

        var tableName = entity.GetSchema() is { } schema ? $"\"{schema}\".\"{table.Name}\"" : $"\"{table.Name}\"";
        var arrays = string.Join(", ", Columns.Select((_, i) => $"${i + 1}"));
        return $"INSERT INTO {tableName} ({string.Join(", ", Columns.Select(Column))}) SELECT * FROM unnest({arrays})";
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _writer.WaitAsync(DrainLimit);
        }
        catch (TimeoutException)
        {
            // The database is not answering; the requests still waiting fail with the host.
        }
        await _dataSource.DisposeAsync();
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Storing {Count} tokens failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}
