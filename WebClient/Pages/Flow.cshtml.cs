using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using OAuthDemo.WebClient.FlowInspector;

namespace OAuthDemo.WebClient.Pages;

[Authorize]
public sealed class FlowModel(FlowJournal journal, IOptions<WebClientSettings> settings) : PageModel
{
    public FlowRecord? Record { get; private set; }

    public string? CodeChallenge { get; private set; }
    public string? CodeChallengeMethod { get; private set; }
    public string? CodeVerifier { get; private set; }
    public string? ComputedChallenge { get; private set; }
    public bool PkceMatches => CodeChallenge is not null && CodeChallenge == ComputedChallenge;

    public async Task OnGetAsync()
    {
        var session = await HttpContext.AuthenticateAsync();
        Record = await journal.FindAsync(session.Properties, HttpContext.RequestAborted);
        if (Record is null)
            return;

        CodeChallenge = Record.Parameter(FlowSteps.PushedAuthorizationRequest, "code_challenge");
        CodeChallengeMethod = Record.Parameter(FlowSteps.PushedAuthorizationRequest, "code_challenge_method");
        CodeVerifier = Record.Parameter(FlowSteps.TokenRequest, "code_verifier");
        ComputedChallenge = CodeVerifier is null ? null : TokenInspector.S256(CodeVerifier);
    }

    /// <summary>A link to the step's trace in the Aspire dashboard, when the dashboard is known.</summary>
    public string? TraceLink(FlowStep step) =>
        settings.Value.DashboardUrl is { Length: > 0 } dashboard && step.TraceId is { } traceId
            ? $"{dashboard.TrimEnd('/')}/traces/detail/{traceId}"
            : null;
}
