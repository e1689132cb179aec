using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OAuthDemo.WebClient.Pages;

/// <summary>
/// Where an unhandled exception lands (UseExceptionHandler): a plain apology and the trace id to
/// look the failure up in the dashboard. Never the exception's text: it can hold addresses,
/// configuration or data.
/// </summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public string? TraceId { get; private set; }

    /// <summary>A service it needs is away (503): nothing is wrong with the request, and it will work again shortly.</summary>
    public bool Unavailable => Response.StatusCode == StatusCodes.Status503ServiceUnavailable;

    public void OnGet()
    {
        TraceId = Activity.Current?.TraceId.ToString() ?? HttpContext.TraceIdentifier;
        if (Unavailable)
            DependencyOutage.AskToRetryLater(Response);
    }

    public void OnPost() => OnGet();
}
