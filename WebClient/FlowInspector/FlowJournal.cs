using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OAuthDemo.WebClient.Data;

namespace OAuthDemo.WebClient.FlowInspector;

/// <summary>
/// The sign-in flows, keyed by an id carried in the authentication properties (the OIDC state,
/// then the session ticket). Stored in <c>webdb</c>, encrypted, so a flow started on one replica
/// shows on another. A completed sign-in is kept for a working day; one that never reached its
/// token response (anyone can start a sign-in without an account) only
/// <c>WebClient:PendingFlowLifetime</c> (<see cref="ExpiredSessionCleanup"/>).
/// </summary>
public sealed class FlowJournal(IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, TimeProvider clock)
{
    private const string PropertyKey = "oauthdemo.flow";

    public static readonly ActivitySource Telemetry = new("OAuthDemo.WebClient.FlowInspector");

    private readonly IDataProtector _protector = dataProtection.CreateProtector("OAuthDemo.WebClient.FlowJournal");

    /// <summary>Ties a new record to the sign-in these properties travel with.</summary>
    public void Start(AuthenticationProperties properties) => properties.Items[PropertyKey] = Guid.NewGuid().ToString("N");

    /// <summary>The record of the sign-in these properties (state or session ticket) belong to.</summary>
    public async Task<FlowRecord?> FindAsync(AuthenticationProperties? properties, CancellationToken ct)
    {
        if (IdOf(properties) is not { } id)
            return null;
        await using var scope = scopes.CreateAsyncScope();
        var entries = await scope.ServiceProvider.GetRequiredService<WebDbContext>().FlowSteps
            .Where(s => s.FlowId == id).OrderBy(s => s.Id).Select(s => s.Step).ToListAsync(ct);
        return entries.Count == 0 ? null : new FlowRecord(id, entries.Select(e => JsonSerializer.Deserialize<FlowStep>(_protector.Unprotect(e))!).ToList());
    }

    public async Task RecordAsync(AuthenticationProperties? properties, string stepKey, IEnumerable<KeyValuePair<string, string>> parameters,
        CancellationToken ct, string? url = null, IReadOnlyList<DecodedToken>? tokens = null)
    {
        if (IdOf(properties) is not { } id)
            return;
        // Each step is a span of its own, where it happened in the request's trace: the inspector
        // links to it, and the dashboard shows it beside the HTTP calls of that step.
        using var span = Telemetry.StartActivity($"Flow step: {FlowSteps.Describe(stepKey).Title}");
        var step = new FlowStep(stepKey, clock.GetUtcNow(), Activity.Current?.TraceId.ToString(), parameters.ToList(), url, tokens, span?.SpanId.ToString());
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebDbContext>();
        db.FlowSteps.Add(new FlowStepEntry { FlowId = id, Key = stepKey, At = step.At, Step = _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(step)) });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Whether the sign-in these properties belong to already has a step with this key.</summary>
    public async Task<bool> HasStepAsync(AuthenticationProperties? properties, string stepKey, CancellationToken ct)
    {
        if (IdOf(properties) is not { } id)
            return true; // nothing to record into
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WebDbContext>().FlowSteps.AnyAsync(s => s.FlowId == id && s.Key == stepKey, ct);
    }

    private static string? IdOf(AuthenticationProperties? properties) =>
        properties?.Items.TryGetValue(PropertyKey, out var id) == true ? id : null;
}
