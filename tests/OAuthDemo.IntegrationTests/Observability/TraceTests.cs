using System.Diagnostics;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Observability;

/// <summary>Traces a learner can read in the dashboard: spans named after what they did, one trace per piece of work.</summary>
public class TraceTests(AppHostFixture fixture)
{
    private static readonly TimeSpan ExportWait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_sign_in_names_every_span_after_its_path()
    {
        // Other tests sign in at the same time: this callback carries a trace id of the test's own
        // (W3C traceparent), which the web client continues.
        using var browser = WebClientBrowser.Open(fixture);
        using var login = await browser.GetAsync("/account/login", Ct);
        using var server = fixture.CreateAuthServerClient();
        var outcome = await server.As(AppHostFixture.TraceUser, fixture.Secrets.TestUserPassword).RunAsync(login.Headers.Location!.PathAndQuery, Ct);
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, outcome.RedirectedTo!.PathAndQuery);
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var callbackResponse = await browser.SendAsync(request, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, callbackResponse.StatusCode);

        // The callback is answered by the OIDC handler, not an endpoint: it used to be a span called "GET".
        var callback = Assert.Single(await fixture.Telemetry.WaitForSpansAsync(s => s.TraceId == traceId && s.Service == "webclient" && s.Name == "GET /signin-oidc", ExportWait));
        var trace = await SpansOfTraceAsync(callback.TraceId, s => s.Service == "authserver" && s.Name == "POST /connect/token");

        // The code's redemption at OpenIddict's token endpoint is in the callback's trace, under its own name.
        Assert.Contains(trace, s => s.Service == "authserver" && s.Name == "POST /connect/token");
        Assert.DoesNotContain(trace, s => s.Service is "webclient" or "authserver" && s.Name is "GET" or "POST" && IsServerSpanOf(s, trace));
    }

    [Fact]
    public async Task Each_worker_poll_is_one_trace_with_its_token_request_and_stats_call()
    {
        // The worker's token lives 20 s here, so within that a poll also fetches a new one.
        var polls = await fixture.Telemetry.WaitForSpansAsync(
            s => s.Service == "worker" && s.Name == "Poll stats" && fixture.Telemetry.Spans.Any(t => t.TraceId == s.TraceId && t.Service == "authserver" && t.Name == "POST /connect/token"),
            AppHostFixture.WorkerTokenLifetime + ExportWait);
        var poll = Assert.Single(polls.Take(1));
        Assert.Null(poll.ParentSpanId);

        var trace = await SpansOfTraceAsync(poll.TraceId, s => s.Service == "resourceapi" && s.Name == "GET /api/stats");
        Assert.Contains(trace, s => s.Service == "authserver" && s.Name == "POST /connect/token");
        Assert.Contains(trace, s => s.Service == "resourceapi" && s.Name == "GET /api/stats");
        // Every other span of the worker in that trace hangs under the poll: nothing starts a trace of its own.
        Assert.All(trace.Where(s => s.Service == "worker" && s != poll), s => Assert.NotNull(s.ParentSpanId));
        // The token it was issued is stored (by the batched writer, off the request's own flow) in
        // this trace, under the token request: not in the trace of whichever request came first.
        var stores = trace.Where(s => s.Service == "authserver" && s.Name == "Store tokens").ToList();
        Assert.NotEmpty(stores);
        Assert.All(stores, store => Assert.Contains(trace, s => s.SpanId == store.ParentSpanId && s.Service == "authserver"));
    }

    /// <summary>The spans of one trace, once the one <paramref name="last"/> describes has arrived.</summary>
    private async Task<List<ExportedSpan>> SpansOfTraceAsync(string traceId, Func<ExportedSpan, bool> last)
    {
        await fixture.Telemetry.WaitForSpansAsync(s => s.TraceId == traceId && last(s), ExportWait);
        return fixture.Telemetry.Spans.Where(s => s.TraceId == traceId).ToList();
    }

    /// <summary>A span whose parent is in another service: the server side of a call.</summary>
    private static bool IsServerSpanOf(ExportedSpan span, List<ExportedSpan> trace) =>
        trace.FirstOrDefault(s => s.SpanId == span.ParentSpanId) is not { } parent || parent.Service != span.Service;
}
