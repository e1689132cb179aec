namespace Microsoft.Extensions.Configuration;

/// <summary>Where the other services are, for code that needs a plain URL (JwtBearer, the OIDC handler, browser pages).</summary>
public static class ServiceAddresses
{
    /// <summary>
    /// The auth server: <c>Authentication:Authority</c> when set (standalone runs), else the address
    /// Aspire service discovery gives for <c>authserver</c>. Every service that trusts or calls the
    /// auth server reads it here.
    /// </summary>
    public static string GetAuthority(this IConfiguration config) => config.GetServiceAddress("authserver", "Authentication:Authority");

    /// <summary>
    /// The setting <paramref name="overrideKey"/> when set (standalone runs), else the address
    /// Aspire service discovery gives for <paramref name="service"/> (https preferred).
    /// </summary>
    public static string GetServiceAddress(this IConfiguration config, string service, string overrideKey) =>
        config[overrideKey] is { Length: > 0 } configured ? configured
        : config[$"services:{service}:https:0"] ?? config[$"services:{service}:http:0"]
          ?? throw new InvalidOperationException(
              $"Where is {service}? Set {overrideKey} (environment: {overrideKey.Replace(":", "__")}=http://localhost:…) or run under the AppHost.");

    /// <summary>Stops the start, naming the setting, when a service's database is not configured.</summary>
    public static void RequireConnectionString(this IConfiguration config, string name)
    {
        if (string.IsNullOrWhiteSpace(config.GetConnectionString(name)))
            throw new InvalidOperationException($"ConnectionStrings:{name} is not set: give the service its PostgreSQL database (ConnectionStrings__{name}).");
    }
}
