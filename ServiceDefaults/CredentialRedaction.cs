using System.Collections;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Credentials never reach a log line, at any level: a client that wrongly puts
/// <c>client_secret</c> or <c>access_token</c> in a URL gets it written by ASP.NET Core's request
/// log (and by anything else that logs a URL). Every logger provider is wrapped, so the console,
/// the dashboard (OpenTelemetry) and any other sink see the value replaced by <see cref="Mask"/>.
/// Server spans' <c>url.query</c> goes through <see cref="Redact"/> too (OpenTelemetryExtensions);
/// .NET's HttpClient already redacts query values in client spans' <c>url.full</c>.
/// </summary>
public static partial class CredentialRedaction
{
    public const string Mask = "[redacted]";

    /// <summary>
    /// Parameter names whose values are credentials: RFC 6749 (client_secret, code, tokens),
    /// RFC 6750 (access_token), RFC 7636 (code_verifier), RFC 7009/7662 (token), RFC 7523
    /// (client_assertion, assertion), OIDC (id_token_hint), RFC 9126/9101 (request) and the login form.
    /// </summary>
    private const string Names = "client_secret|client_assertion|assertion|access_token|refresh_token|id_token|id_token_hint|code|code_verifier|token|request|password";

    /// <summary>name=value, as in a URL or a form.</summary>
    [GeneratedRegex($"""(?<=(?:^|[?&;\s"'])(?:{Names})=)[^&\s"'#]+""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FormValue();

    /// <summary>"name": "value", as in a request OpenIddict logs as JSON at Debug (it masks some parameters, not code_verifier).</summary>
    [GeneratedRegex($"""(?<="(?:{Names})"\s*:\s*")[^"]+""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JsonValue();

    public static string Redact(string text)
    {
        if (text.Contains('='))
            text = FormValue().Replace(text, Mask);
        if (text.Contains('"'))
            text = JsonValue().Replace(text, Mask);
        return text;
    }

    /// <summary>Wraps every registered logger provider (call after the providers are added, as AddServiceDefaults does).</summary>
    public static IServiceCollection AddCredentialRedaction(this IServiceCollection services)
    {
        // Provider-specific filter rules (Logging:Console:LogLevel) no longer match the wrapped
        // providers; the general Logging:LogLevel rules, which this sample uses, still apply.
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new LoggerFactory(
            sp.GetServices<ILoggerProvider>().Select(provider => new RedactingLoggerProvider(provider)),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>())));
        return services;
    }

    private sealed class RedactingLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

        public void SetScopeProvider(IExternalScopeProvider scopeProvider)
        {
            if (inner is ISupportExternalScope scoped)
                scoped.SetScopeProvider(scopeProvider);
        }

        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
                return;
            var redacted = new RedactedState(Redact(formatter(state, exception)), state as IReadOnlyList<KeyValuePair<string, object?>> ?? []);
            inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.Message);
        }
    }

    /// <summary>The message and its structured values (what OpenTelemetry exports), each redacted.</summary>
    private sealed class RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index] is var pair && pair.Key == "{OriginalFormat}"
            ? pair
            : new(pair.Key, Redacted(pair.Value));

        /// <summary>
        /// Exporters write an object they do not know as its ToString(): OpenIddict logs whole
        /// requests that way, code_verifier and all. Numbers, dates and the like cannot hold a credential.
        /// </summary>
        private static object? Redacted(object? value) => value switch
        {
            null => null,
            string text => Redact(text),
            IConvertible => value,
            IEnumerable<string> texts => texts.Select(Redact).ToArray(),
            _ => Redact(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
                yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
