using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using OAuthDemo.WebClient.AttackLab;
using OAuthDemo.WebClient.FlowInspector;

namespace OAuthDemo.WebClient.Pages;

/// <summary>
/// The attack lab: each card runs one attack on this user's own session, then the page shows the
/// servers' real answers (post, redirect, get, so a reload never repeats an attack).
/// It needs a signed-in user, and is a 404 where the lab is off (AttackLab/AttackLabExtensions.cs).
/// </summary>
[Authorize]
public sealed class LabModel(AttackRunner runner, IOptions<WebClientSettings> settings) : PageModel
{
    /// <summary>The last run's outcome, carried across the redirect in the (protected) TempData cookie.</summary>
    [TempData]
    public string? LastRun { get; set; }

    public LabOutcome? Outcome { get; private set; }

    public void OnGet() => Outcome = LabOutcome.FromJson(LastRun);

    public async Task<IActionResult> OnPostAsync(string attack)
    {
        if (AttackCards.Find(attack) is not { } card)
            return BadRequest();
        var run = await runner.RunAsync(card, HttpContext);
        if (run.Outcome is { } outcome)
            LastRun = outcome.ToJson();
        // Onwards to the auth server (stolen code) or to a new sign-in (replayed refresh token), else back to the card.
        return Redirect(run.ContinueAt ?? $"/lab#{card.Id}");
    }

    /// <summary>The stolen-code attack's authorization comes back here (<see cref="AttackRunner.CallbackPath"/>).</summary>
    public async Task<IActionResult> OnGetCallbackAsync()
    {
        var outcome = await runner.FinishStolenCodeAsync(HttpContext);
        LastRun = outcome.ToJson();
        return LocalRedirect($"/lab#{outcome.Attack}");
    }

    public string? SpanLink(LabOutcome outcome) => DashboardLinks.Span(settings.Value.DashboardUrl, outcome.TraceId, outcome.SpanId);
}
