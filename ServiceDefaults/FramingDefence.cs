using Microsoft.AspNetCore.Builder;

namespace Microsoft.Extensions.Hosting;

public static class FramingDefence
{
    /// <summary>
    /// No page of this site may be framed by any other (clickjacking, RFC 9700 §4.16), and no
    /// response is sniffed into another content type. Set as the response starts, so these values
    /// win over the weaker <c>X-Frame-Options: SAMEORIGIN</c> antiforgery adds to pages with forms.
    /// </summary>
    public static WebApplication UseFramingDefence(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            context.Response.OnStarting(() =>
            {
                headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                headers.XFrameOptions = "DENY"; // for browsers without CSP level 2
                headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
