using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using OAuthDemo.WebClient.FlowInspector;

namespace OAuthDemo.WebClient.Pages;

[Authorize]
public sealed class FlowModel(FlowJournal journal, IOptions<WebClientSettings> settings, TimeProvider clock) : PageModel
{
    public FlowRecord? Record { get; private set; }

    /// <summary>
    /// The steps in the order they happened: what the auth server did (learnt from the ID token,
    /// so recorded later) goes between the redirect to it and its answer.
    /// </summary>
    public IReadOnlyList<FlowStep> Steps { get; private set; } = [];

    public DateTimeOffset Now => clock.GetUtcNow();

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
        var steps = Record.Steps.ToList();
        if (steps.FindIndex(st => st.Key == FlowSteps.AuthServerSignIn) is var signIn and >= 0
            && steps.FindIndex(st => st.Key == FlowSteps.AuthorizationResponse) is var response and >= 0 && signIn > response)
        {
            var step = steps[signIn];
            steps.RemoveAt(signIn);
            steps.Insert(response, step);
        }
        Steps = steps;

        CodeChallenge = Record.Parameter(FlowSteps.PushedAuthorizationRequest, "code_challenge");
        CodeChallengeMethod = Record.Parameter(FlowSteps.PushedAuthorizationRequest, "code_challenge_method");
        CodeVerifier = Record.Parameter(FlowSteps.TokenRequest, "code_verifier");
        ComputedChallenge = CodeVerifier is null ? null : TokenInspector.S256(CodeVerifier);
    }

    /// <summary>A link to the step's own span (or, for older records, its trace) in the Aspire dashboard, when the dashboard is known.</summary>
    public string? TraceLink(FlowStep step) => DashboardLinks.Span(settings.Value.DashboardUrl, step.TraceId, step.SpanId);
}
