namespace Microsoft.Extensions.Configuration;

/// <summary>Where another service is, for code that needs a plain URL (JwtBearer, OIDC authority, browser pages).</summary>
public static class ServiceAddresses
{
    /// <summary>
    /// The setting <paramref name="overrideKey"/> when set (standalone runs), else the address
    /// Aspire service discovery gives for <paramref name="service"/> (https preferred).
    /// </summary>
    public static string GetServiceAddress(this IConfiguration config, string service, string overrideKey) =>
        config[overrideKey] is { Length: > 0 } configured ? configured
        : config[$"services:{service}:https:0"] ?? config[$"services:{service}:http:0"]
          ?? throw new InvalidOperationException(
              $"Where is {service}? Set {overrideKey} (environment: {overrideKey.Replace(":", "__")}=http://localhost:…) or run under the AppHost.");
}
