using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OAuthDemo.UnitTests;

public class CredentialRedactionTests
{
    [Theory]
    [InlineData("GET http://a/connect/token?client_secret=s3cret&grant_type=x", "GET http://a/connect/token?client_secret=[redacted]&grant_type=x")]
    [InlineData("?access_token=eyJabc.def.ghi", "?access_token=[redacted]")]
    [InlineData("/signin-oidc?state=abc&code=xyz&iss=http%3A%2F%2Fa", "/signin-oidc?state=abc&code=[redacted]&iss=http%3A%2F%2Fa")]
    [InlineData("refresh_token=a&CODE_VERIFIER=b&id_token_hint=c", "refresh_token=[redacted]&CODE_VERIFIER=[redacted]&id_token_hint=[redacted]")]
    [InlineData("token=t&client_assertion=j&password=p", "token=[redacted]&client_assertion=[redacted]&password=[redacted]")]
    [InlineData("{ \"code_verifier\": \"KfW\", \"grant_type\": \"authorization_code\" }", "{ \"code_verifier\": \"[redacted]\", \"grant_type\": \"authorization_code\" }")]
    [InlineData("\"client_secret\":\"[redacted]\"", "\"client_secret\":\"[redacted]\"")]
    public void Credential_parameters_lose_their_values(string logged, string expected) =>
        Assert.Equal(expected, CredentialRedaction.Redact(logged));

    [Theory]
    [InlineData("GET /api/notes?page=2&state=abc")]
    [InlineData("qrcode=1&encoded=2&token_type_hint=refresh_token")]
    [InlineData("no parameters at all")]
    public void Other_parameters_are_left_alone(string logged) =>
        Assert.Equal(logged, CredentialRedaction.Redact(logged));

    [Fact]
    public void Structured_values_reach_exporters_redacted_even_when_they_are_objects()
    {
        var capture = new CapturingProvider();
        using var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(capture))
            .AddCredentialRedaction()
            .BuildServiceProvider();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("test");

        // As OpenIddict logs a request: an object whose text is JSON with the verifier in it.
        logger.LogInformation("Request {Request} took {Milliseconds} ms", new LoggedRequest("{ \"code_verifier\": \"KfW\" }"), 12);

        var values = Assert.Single(capture.States);
        Assert.Equal("{ \"code_verifier\": \"[redacted]\" }", values.Single(v => v.Key == "Request").Value);
        Assert.Equal(12, values.Single(v => v.Key == "Milliseconds").Value);
    }

    private sealed record LoggedRequest(string Json)
    {
        public override string ToString() => Json;
    }

    /// <summary>Keeps the structured values a provider is given, as an OpenTelemetry exporter reads them.</summary>
    private sealed class CapturingProvider : ILoggerProvider, ILogger
    {
        public List<IReadOnlyList<KeyValuePair<string, object?>>> States { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            States.Add([.. (IReadOnlyList<KeyValuePair<string, object?>>)state!]);

        public void Dispose()
        {
        }
    }
}
