namespace OAuthDemo.WebClient.AttackLab;

/// <summary>Whether /lab exists in this process.</summary>
public sealed record AttackLabSwitch(bool IsOn);

internal static class AttackLabExtensions
{
    /// <summary>
    /// The attack lab (/lab): real attacks on the signed-in user's own session, each answered by the
    /// real auth server or API. A teaching tool, so Development only: a deployed web client has no
    /// page that sends its client secret around on request, whatever <c>WebClient:AttackLab</c> says.
    /// </summary>
    public static IHostApplicationBuilder AddAttackLab(this IHostApplicationBuilder builder)
    {
        var isOn = builder.Environment.IsDevelopment()
                   && builder.Configuration.GetValue($"{WebClientSettings.SectionName}:{nameof(WebClientSettings.AttackLab)}", true);
        builder.Services.AddSingleton(new AttackLabSwitch(isOn));
        // Where the lab is off, /lab answers 404 to anyone, before any sign-in is asked for.
        if (!isOn)
            builder.Services.AddTransient<IStartupFilter, LabOffFilter>();

        builder.Services.AddScoped<AttackRunner>();
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers: the one way to take back the standard handler ServiceDefaults gives every client
        builder.Services.AddHttpClient<LabHttpClient>(LabHttpClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10))
            // An attack is one request and its answer: no redirect followed, no cookie kept, nothing retried.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return builder;
    }
}

/// <summary>Answers 404 for the lab's paths, first in the pipeline.</summary>
internal sealed class LabOffFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (!context.Request.Path.StartsWithSegments("/lab", StringComparison.OrdinalIgnoreCase))
                return nextMiddleware(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        next(app);
    };
}
