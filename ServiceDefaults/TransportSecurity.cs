using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// HTTPS outside Development. Plain HTTP is for a developer's machine only: anywhere else a page
/// asked for over http is redirected to https (308, method kept), browsers are told to use https
/// only (HSTS), and cookies are Secure. TLS usually ends at a proxy, which tells the service with
/// X-Forwarded-Proto; those headers are believed only from the proxies named in
/// <c>ForwardedHeaders:KnownProxies</c> (IP addresses) or <c>ForwardedHeaders:KnownNetworks</c>
/// (CIDR), else only from this machine, so nobody else can claim a request was https.
/// </summary>
public static class TransportSecurity
{
    public const string KnownProxiesSetting = "ForwardedHeaders:KnownProxies";
    public const string KnownNetworksSetting = "ForwardedHeaders:KnownNetworks";

    public static TBuilder AddTransportSecurity<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var proxies = Parse(builder.Configuration, KnownProxiesSetting, (string text, out IPAddress value) => IPAddress.TryParse(text, out value!));
        var networks = Parse(builder.Configuration, KnownNetworksSetting, (string text, out IPNetwork value) => IPNetwork.TryParse(text, out value));

        // PostConfigure: after ASPNETCORE_FORWARDEDHEADERS_ENABLED (set by Aspire's deployment
        // manifest), which would otherwise trust these headers from any sender.
        builder.Services.PostConfigure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto
                                       | AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedHost;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            if (proxies.Count + networks.Count == 0)
            {
                options.KnownIPNetworks.Add(IPNetwork.Parse("127.0.0.0/8"));
                options.KnownProxies.Add(IPAddress.IPv6Loopback);
            }
            foreach (var proxy in proxies)
                options.KnownProxies.Add(proxy);
            foreach (var network in networks)
                options.KnownIPNetworks.Add(network);
        });
        // The antiforgery cookie of the pages' forms, like the services' own cookies. One name per
        // service: browsers tell cookies apart by host, not port, so on localhost the auth server's
        // would replace the web client's (each is encrypted with its own key ring) and fail its forms.
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = CookieName(builder.Environment, $"oauthdemo.{builder.Environment.ApplicationName.ToLowerInvariant()}.antiforgery");
            options.Cookie.SecurePolicy = CookieSecurity(builder.Environment);
        });
        builder.Services.AddHttpsRedirection(options =>
        {
            options.RedirectStatusCode = StatusCodes.Status308PermanentRedirect;
            // Behind a proxy the service cannot see which port serves https: the standard one, unless set.
            options.HttpsPort = builder.Configuration.GetValue<int?>("HttpsRedirection:HttpsPort") ?? 443;
        });
        return builder;
    }

    /// <summary>
    /// Forwarded headers from trusted proxies; outside Development, HSTS and the redirect to https
    /// for everything but the health probes (orchestrators call those over plain http).
    /// </summary>
    public static WebApplication UseTransportSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (app.Environment.IsDevelopment())
            return app;
        app.UseHsts();
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/alive"),
            branch => branch.UseHttpsRedirection());
        return app;
    }

    /// <summary>
    /// A cookie's name: outside Development with the <c>__Host-</c> prefix, which browsers accept
    /// only on a Secure cookie for this exact host and path / (no subdomain can set or overwrite it).
    /// </summary>
    public static string CookieName(IHostEnvironment environment, string name) => environment.IsDevelopment() ? name : "__Host-" + name;

    /// <summary>Secure always outside Development; in Development, whenever the request was https.</summary>
    public static CookieSecurePolicy CookieSecurity(IHostEnvironment environment) =>
        environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

    private delegate bool TryParse<T>(string text, out T value);

    private static List<T> Parse<T>(IConfiguration configuration, string setting, TryParse<T> tryParse)
    {
        var values = new List<T>();
        foreach (var entry in configuration.GetSection(setting).GetChildren())
        {
            if (!tryParse(entry.Value ?? "", out var value))
                throw new InvalidOperationException($"{setting}:{entry.Key} '{entry.Value}' is not valid: give an IP address (KnownProxies) or a network in CIDR form such as 10.0.0.0/8 (KnownNetworks).");
            values.Add(value);
        }
        return values;
    }
}
