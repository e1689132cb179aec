using Microsoft.AspNetCore.Builder;

namespace Microsoft.Extensions.Hosting;

/// <summary>A Content-Security-Policy header value: what a page of this service may load, send and be framed by.</summary>
public sealed record ContentSecurityPolicy(string Value)
{
    /// <summary>An API answers JSON only: nothing may be loaded or run from its answers, and none may be framed.</summary>
    public static ContentSecurityPolicy ForApi { get; } = new("default-src 'none'; frame-ancestors 'none'");

    /// <summary>
    /// Pages with no inline script or style: everything from this origin, fetch also to
    /// <paramref name="connectTo"/>, forms only to this origin and <paramref name="formTargets"/>
    /// (null: no form-action directive), never framed, no plugins, no &lt;base&gt;.
    /// </summary>
    public static ContentSecurityPolicy ForPages(IEnumerable<string>? connectTo = null, IEnumerable<string>? formTargets = null)
    {
        var directives = new List<string>
        {
            "default-src 'self'",
            "script-src 'self'",        // no inline script: an injected <script> does not run (XSS)
            "style-src 'self'",
            "img-src 'self' data:",
            $"connect-src {Sources(connectTo)}",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",   // clickjacking (RFC 9700 §4.16)
        };
        if (formTargets is not null)
            directives.Add($"form-action {Sources(formTargets)}");
        return new(string.Join("; ", directives));
    }

    private static string Sources(IEnumerable<string>? urls) =>
        string.Join(' ', (urls ?? []).Select(url => new Uri(url).GetLeftPart(UriPartial.Authority)).Prepend("'self'").Distinct());
}

public static class BrowserDefences
{
    /// <summary>
    /// Every response carries <paramref name="policy"/>, <c>X-Frame-Options: DENY</c> (for browsers
    /// without CSP level 2) and <c>nosniff</c>. Set as the response starts, so these values win over
    /// the weaker <c>X-Frame-Options: SAMEORIGIN</c> antiforgery adds to pages with forms.
    /// </summary>
    public static WebApplication UseBrowserDefences(this WebApplication app, ContentSecurityPolicy policy)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            context.Response.OnStarting(() =>
            {
                headers.ContentSecurityPolicy = policy.Value;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
