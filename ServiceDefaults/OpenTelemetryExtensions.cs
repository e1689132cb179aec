using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

internal static class OpenTelemetryExtensions
{
    /// <summary>Our own meters and activity sources all start with this prefix.</summary>
    public const string TelemetryPrefix = "OAuthDemo.";

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetryPrefix + "*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetryPrefix + "*")
                .AddAspNetCoreInstrumentation(options =>
                {
                    // Health probes every few seconds would drown the real traces.
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/health")
                                                && !context.Request.Path.StartsWithSegments("/alive");
                    options.EnrichWithHttpResponse = (activity, response) =>
                    {
                        NameAfterPath(activity, response);
                        RedactQuery(activity);
                    };
                })
                .AddHttpClientInstrumentation());

        // The AppHost sets this for every service; standalone runs simply export nothing.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            builder.Services.AddOpenTelemetry().UseOtlpExporter();

        return builder;
    }

    /// <summary>
    /// A client that wrongly sends a credential in the URL (<c>?client_secret=</c>, <c>?access_token=</c>)
    /// or a code on its way back (<c>/signin-oidc?code=</c>) must not have it kept in the trace.
    /// </summary>
    private static void RedactQuery(Activity activity)
    {
        if (activity.GetTagItem("url.query") is string query)
            activity.SetTag("url.query", CredentialRedaction.Redact(query));
    }

    /// <summary>
    /// A request answered by middleware rather than an endpoint (the OIDC handler's /signin-oidc,
    /// OpenIddict's /connect/token, static files) has no route, so its span is called just "GET"
    /// or "POST"; it is named after its path instead. Not a 404's path: anyone can invent those,
    /// and span names must stay a small set.
    /// </summary>
    private static void NameAfterPath(Activity activity, HttpResponse response)
    {
        var request = response.HttpContext.Request;
        if (activity.DisplayName == request.Method && response.StatusCode != StatusCodes.Status404NotFound)
            activity.DisplayName = $"{request.Method} {request.PathBase}{request.Path}";
    }
}
