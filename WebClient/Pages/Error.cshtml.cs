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

    public void OnGet() => TraceId = Activity.Current?.TraceId.ToString() ?? HttpContext.TraceIdentifier;

    public void OnPost() => OnGet();
}
