using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using OAuthDemo.ResourceApi.Authentication;
using OAuthDemo.ResourceApi.Data;

namespace OAuthDemo.ResourceApi.Api;

public sealed record NoteDto(Guid Id, string Text, DateTimeOffset CreatedAt);

public sealed record NewNote(string? Text);

public sealed record MeDto(string Subject, string? ClientId, IReadOnlyCollection<string> Scopes, string Kind);

public sealed record StatsDto(int Users, int Notes, DateTimeOffset? NewestNoteAt);

public sealed record ServiceInfo(string Name, string OpenApi);

/// <summary>
/// The API (the README's table): who is calling, the caller's notes, and usage figures for
/// machine clients. Every route needs a valid access token; most need a scope too.
/// </summary>
internal static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapApiEndpoints(this IEndpointRouteBuilder app)
    {
        // The front door, for people and tools that land on the API: anonymous, and no data.
        app.MapGet("/", () => new ServiceInfo("OAuthDemo resource API", "/openapi/v1.json"))
            .WithSummary("What this service is and where its OpenAPI document is.").WithTags("Service");

        var api = app.MapGroup("/api")
            .RequireAuthorization()
            .AddEndpointFilter<CallerLoggingFilter>();

        api.MapGet("/me", (HttpContext http) =>
            {
                var caller = Caller.From(http.User);
                return new MeDto(caller.Subject, caller.ClientId, caller.Scopes.Order().ToList(), caller.Kind);
            })
            .WithSummary("Who the token says is calling.").WithTags("Caller");

        api.MapGet("/notes", GetNotesAsync).RequireAuthorization(ApiAccessPolicies.NotesRead)
            .WithSummary("The caller's notes, newest first.").WithTags("Notes");

        api.MapPost("/notes", AddNoteAsync).RequireAuthorization(ApiAccessPolicies.NotesWrite)
            .WithSummary("Adds a note of 1 to 2000 characters.").WithTags("Notes")
            .ProducesValidationProblem();

        api.MapDelete("/notes/{id:guid}", DeleteNoteAsync).RequireAuthorization(ApiAccessPolicies.NotesWrite)
            .WithSummary("Deletes one of the caller's notes; someone else's is 404.").WithTags("Notes");

        api.MapGet("/stats", GetStatsAsync).RequireAuthorization(ApiAccessPolicies.StatsRead)
            .WithSummary("Usage figures, for machine clients.").WithTags("Stats");

        return app;
    }

    private static async Task<List<NoteDto>> GetNotesAsync(HttpContext http, ApiDbContext db, CancellationToken ct)
    {
        var owner = Caller.From(http.User).Subject;
        return await db.Notes.AsNoTracking()
            .Where(n => n.OwnerSubject == owner)
            .OrderByDescending(n => n.CreatedAt)
            .Select(n => new NoteDto(n.Id, n.Text, n.CreatedAt))
            .ToListAsync(ct);
    }

    private static async Task<IResult> AddNoteAsync(NewNote input, HttpContext http, ApiDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var text = input.Text?.Trim();
        if (!IsValidText(text, out var problem))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [problem] });

        var note = new Note { Id = Guid.CreateVersion7(), OwnerSubject = Caller.From(http.User).Subject, Text = text, CreatedAt = clock.GetUtcNow() };
        db.Notes.Add(note);
        await db.SaveChangesAsync(ct);
        return Results.Created($"/api/notes/{note.Id}", new NoteDto(note.Id, note.Text, note.CreatedAt));
    }

    private static bool IsValidText([NotNullWhen(true)] string? text, [NotNullWhen(false)] out string? problem)
    {
        problem = string.IsNullOrEmpty(text) || text.Length > Note.MaxTextLength
            ? $"Text is required and must be 1 to {Note.MaxTextLength} characters (it was {text?.Length ?? 0})."
            // Line breaks and tabs are text; other control characters (NUL, which PostgreSQL refuses) are not.
            : text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
                ? "Text must not contain control characters other than line breaks and tabs."
                : null;
        return problem is null;
    }

    private static async Task<IResult> DeleteNoteAsync(Guid id, HttpContext http, ApiDbContext db, CancellationToken ct)
    {
        var owner = Caller.From(http.User).Subject;
        // Filtering by owner makes someone else's note indistinguishable from a missing one.
        var deleted = await db.Notes.Where(n => n.Id == id && n.OwnerSubject == owner).ExecuteDeleteAsync(ct);
        return deleted == 0 ? Results.NotFound() : Results.NoContent();
    }

    private static async Task<StatsDto> GetStatsAsync(ApiDbContext db, CancellationToken ct) => new(
        await db.Notes.Select(n => n.OwnerSubject).Distinct().CountAsync(ct),
        await db.Notes.CountAsync(ct),
        await db.Notes.MaxAsync(n => (DateTimeOffset?)n.CreatedAt, ct));
}
