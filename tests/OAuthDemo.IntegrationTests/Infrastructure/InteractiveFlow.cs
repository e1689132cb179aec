using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.WebUtilities;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>Where an interactive request ended: a redirect out of the auth server, or a page.</summary>
public sealed record FlowOutcome(Uri? RedirectedTo, HttpStatusCode Status, string? Html, IReadOnlyList<string> PagesSeen, TimeSpan? RetryAfter = null)
{
    public IDictionary<string, string> Query => RedirectedTo is null
        ? new Dictionary<string, string>()
        : QueryHelpers.ParseQuery(RedirectedTo.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    public string? Code => Query.TryGetValue("code", out var code) ? code : null;
    public string? Error => Query.TryGetValue("error", out var error) ? error : null;
    public string? State => Query.TryGetValue("state", out var state) ? state : null;

    /// <summary>
    /// The OAuth error, from the redirect or, when the server could not trust the redirect URI
    /// yet, from its error page (it then never redirects).
    /// </summary>
    public string? ErrorCode => Error ?? (Html is null ? null
        : new HtmlParser().ParseDocument(Html).QuerySelector("[role=alert] dd code")?.TextContent);
}

/// <summary>
/// Plays the user's part over HTTP: follows the auth server's redirects, fills the login form
/// (with its antiforgery token), answers the consent page, and stops at the first redirect that
/// leaves the auth server, which is what the client would receive.
/// </summary>
public sealed class InteractiveFlow(AuthServerClient client)
{
    private static readonly HtmlParser Parser = new();

    public string UserName { get; init; } = "alice";
    public string Password { get; init; } = "";

    /// <summary><c>allow</c> or <c>deny</c> on the consent page.</summary>
    public string Decision { get; init; } = "allow";

    public async Task<FlowOutcome> RunAsync(string pathAndQuery, CancellationToken ct)
    {
        var pages = new List<string>();
        var current = new Uri(client.BaseAddress, pathAndQuery);
        var response = await client.Http.GetAsync(current, ct);

        for (var step = 0; step < 12; step++)
        {
            var (outcome, next, nextUri) = await StepAsync(response, current, pages, ct);
            response.Dispose();
            if (outcome is not null)
                return outcome;
            (response, current) = (next!, nextUri!);
        }

        throw new InvalidOperationException("Too many steps: the flow is looping.");
    }

    /// <summary>One page or redirect: either the outcome, or the next response to look at.</summary>
    private async Task<(FlowOutcome?, HttpResponseMessage?, Uri?)> StepAsync(HttpResponseMessage response, Uri current, List<string> pages, CancellationToken ct)
    {
        if (IsRedirect(response.StatusCode))
        {
            var location = new Uri(current, response.Headers.Location!);
            if (location.GetLeftPart(UriPartial.Authority) != client.BaseAddress.GetLeftPart(UriPartial.Authority))
                return (new FlowOutcome(location, response.StatusCode, null, pages), null, null);
            return (null, await client.Http.GetAsync(location, ct), location);
        }

        var html = await response.Content.ReadAsStringAsync(ct);
        var document = Parser.ParseDocument(html);
        if (response.StatusCode != HttpStatusCode.OK || document.QuerySelector("form") is not IHtmlFormElement form)
            return (new FlowOutcome(null, response.StatusCode, html, pages, response.Headers.RetryAfter?.Delta), null, null);

        var fields = form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>()
            .Select(i => KeyValuePair.Create(i.Name!, i.Value)).ToList();

        if (form.QuerySelector("input[name=username]") is not null)
        {
            // A second login page in a row means the password was refused.
            if (pages.Count > 0 && pages[^1] == "login")
                return (new FlowOutcome(null, response.StatusCode, html, pages), null, null);
            pages.Add("login");
            fields.Add(KeyValuePair.Create("username", UserName));
            fields.Add(KeyValuePair.Create("password", Password));
        }
        else if (form.QuerySelector("button[name=decision]") is not null)
        {
            pages.Add("consent");
            fields.Add(KeyValuePair.Create("decision", Decision));
        }
        else
        {
            return (new FlowOutcome(null, response.StatusCode, html, pages), null, null);
        }

        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? current : new Uri(current, form.GetAttribute("action")!);
        return (null, await client.Http.PostAsync(action, new FormUrlEncodedContent(fields), ct), action);
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;
}
