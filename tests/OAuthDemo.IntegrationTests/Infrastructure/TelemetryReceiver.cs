using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>A span as a service exported it.</summary>
public sealed record ExportedSpan(string Service, string TraceId, string SpanId, string? ParentSpanId, string Name);

/// <summary>
/// Stands where the dashboard would: every service exports its traces, logs and metrics here over
/// OTLP/HTTP (protobuf), so tests can read span names and trace shapes, and search everything that
/// left a service for secrets. The OTLP messages are read with a small protobuf walker (only the
/// fields named below); nothing else is decoded.
/// </summary>
public sealed class TelemetryReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ExportedSpan> _spans = new();
    private readonly ConcurrentQueue<byte[]> _payloads = new();

    private TelemetryReceiver(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyCollection<ExportedSpan> Spans => _spans;

    /// <summary>Every OTLP request body received (traces and logs; metrics carry no values that could be secrets).</summary>
    public IEnumerable<byte[]> Payloads => _payloads;

    public static async Task<TelemetryReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new TelemetryReceiver(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            var body = await ReadAsync(request);
            receiver._payloads.Enqueue(body);
            foreach (var span in ReadSpans(body))
                receiver._spans.Enqueue(span);
            return Results.Ok();
        });
        app.MapPost("/v1/logs", async (HttpRequest request) =>
        {
            receiver._payloads.Enqueue(await ReadAsync(request));
            return Results.Ok();
        });
        app.MapPost("/v1/metrics", () => Results.Ok());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Endpoint = new Uri(address);
        return receiver;
    }

    /// <summary>Waits until a span matching <paramref name="match"/> has arrived (exports are batched, about a second apart).</summary>
    public async Task<IReadOnlyList<ExportedSpan>> WaitForSpansAsync(Func<ExportedSpan, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = _spans.Where(match).ToList();
            if (found.Count > 0 || DateTime.UtcNow > deadline)
                return found;
            await Task.Delay(250, Ct);
        }
    }

    /// <summary>Whether any exported trace or log contains <paramref name="value"/> (UTF-8), e.g. a secret.</summary>
    public bool Contains(string value)
    {
        var needle = Encoding.UTF8.GetBytes(value);
        return _payloads.Any(payload => payload.AsSpan().IndexOf(needle) >= 0);
    }

    private static async Task<byte[]> ReadAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    // opentelemetry/proto/collector/trace/v1: ExportTraceServiceRequest.resource_spans = 1;
    // ResourceSpans.resource = 1, .scope_spans = 2; Resource.attributes = 1 (KeyValue key = 1,
    // value = 2, AnyValue.string_value = 1); ScopeSpans.spans = 2; Span.trace_id = 1, span_id = 2,
    // parent_span_id = 4, name = 5.
    private static IEnumerable<ExportedSpan> ReadSpans(byte[] request)
    {
        foreach (var resourceSpans in Fields(request, 1))
        {
            var service = "";
            foreach (var resource in Fields(resourceSpans, 1))
                foreach (var attribute in Fields(resource, 1))
                    if (Text(Fields(attribute, 1).FirstOrDefault()) == "service.name")
                        service = Text(Fields(Fields(attribute, 2).FirstOrDefault(), 1).FirstOrDefault());
            foreach (var scopeSpans in Fields(resourceSpans, 2))
                foreach (var span in Fields(scopeSpans, 2))
                {
                    var parent = Fields(span, 4).FirstOrDefault();
                    yield return new ExportedSpan(
                        service,
                        Hex(Fields(span, 1).FirstOrDefault()),
                        Hex(Fields(span, 2).FirstOrDefault()),
                        parent.Length == 0 ? null : Hex(parent),
                        Text(Fields(span, 5).FirstOrDefault()));
                }
        }
    }

    private static string Text(ReadOnlyMemory<byte> value) => Encoding.UTF8.GetString(value.Span);

    private static string Hex(ReadOnlyMemory<byte> value) => Convert.ToHexStringLower(value.Span);

    /// <summary>The length-delimited values of field <paramref name="number"/> in a protobuf message; other fields are skipped.</summary>
    private static List<ReadOnlyMemory<byte>> Fields(ReadOnlyMemory<byte> message, int number)
    {
        var found = new List<ReadOnlyMemory<byte>>();
        var data = message.Span;
        var position = 0;
        while (position < data.Length)
        {
            var tag = ReadVarint(data, ref position);
            var wireType = (int)(tag & 7);
            switch (wireType)
            {
                case 0: ReadVarint(data, ref position); break;
                case 1: position += 8; break;
                case 5: position += 4; break;
                case 2:
                    var length = (int)ReadVarint(data, ref position);
                    if ((int)(tag >> 3) == number)
                        found.Add(message.Slice(position, length));
                    position += length;
                    break;
                default: throw new InvalidDataException($"Unexpected protobuf wire type {wireType}");
            }
        }
        return found;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
