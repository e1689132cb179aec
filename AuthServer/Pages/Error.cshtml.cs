using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OAuthDemo.AuthServer.Pages;

/// <summary>
/// Shown when a request cannot be answered with a redirect to the client (unknown client,
/// unregistered redirect URI …): OpenIddict must not redirect to an address it cannot trust.
/// Says what was wrong without internals: no stack traces, no configuration.
/// </summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";

    public string Description { get; private set; } = "The request could not be completed.";

    public string? Error { get; private set; }

    public void OnGet() => Describe();

    public void OnPost() => Describe();

    private void Describe()
    {
        if (HttpContext.GetOpenIddictServerResponse() is { Error: { } error } response)
        {
            Title = "This sign-in request cannot be completed";
            Error = error;
            Description = response.ErrorDescription ?? "The application sent a request this server cannot accept.";
            return;
        }

        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null || HttpContext.Features.Get<IExceptionHandlerFeature>() is not null;
        var status = reExecuted ? Response.StatusCode : 500;
        if (status == StatusCodes.Status503ServiceUnavailable)
            DependencyOutage.AskToRetryLater(Response);
        (Title, Description) = status switch
        {
            404 => ("Page not found", "There is no page at this address."),
            503 => ("Temporarily unavailable", "This server cannot reach its database just now. Try again in a few seconds."),
            400 => ("Bad request", "The request was not understood."),
            _ => ("Something went wrong", "The request could not be completed. Try again later."),
        };
    }
}
