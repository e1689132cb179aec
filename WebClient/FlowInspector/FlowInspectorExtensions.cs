using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using OAuthDemo.WebClient.Authentication;

namespace OAuthDemo.WebClient.FlowInspector;

internal static class FlowInspectorExtensions
{
    /// <summary>
    /// The flow inspector (/flow): records each step of a sign-in and each refresh as the protocol
    /// code performs it, through the OIDC handler's events and the refresh observer. The protocol
    /// code works the same without it.
    /// </summary>
    public static IServiceCollection AddFlowInspector(this IServiceCollection services)
    {
        services.AddSingleton<FlowJournal>();
        services.AddSingleton<TokenInspector>();
        services.AddSingleton<FlowRecordingEvents>();
        services.AddSingleton<IRefreshObserver, RefreshRecorder>();
        services.AddHttpContextAccessor();
        services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IHttpContextAccessor>((options, accessor) =>
            {
                options.EventsType = typeof(FlowRecordingEvents);
                options.BackchannelHttpHandler = new PushedAuthorizationObserver(accessor) { InnerHandler = new SocketsHttpHandler() };
            });
        return services;
    }
}
