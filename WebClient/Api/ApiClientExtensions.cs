using OAuthDemo.WebClient.Authentication;
using OAuthDemo.WebClient.FlowInspector;

namespace OAuthDemo.WebClient.Api;

internal static class ApiClientExtensions
{
    /// <summary>The notes API client; each call carries the signed-in user's access token.</summary>
    public static IServiceCollection AddNotesApiClient(this IServiceCollection services, IConfiguration config)
    {
        services.AddHttpContextAccessor();
        services.AddTransient<UserAccessTokenHandler>();
        services.AddTransient<FirstApiCallRecorder>();
        services.AddHttpClient<NotesApiClient>(http =>
            {
                http.BaseAddress = new Uri(ServiceUrls.ResourceApi(config).TrimEnd('/') + "/");
                // Someone is waiting for the page: an API that does not answer (a stopped service behind
                // a proxy may accept and never reply) is reported after 10 s, retries included, not 30.
                http.Timeout = TimeSpan.FromSeconds(10);
            })
            .AddHttpMessageHandler<UserAccessTokenHandler>()
            .AddHttpMessageHandler<FirstApiCallRecorder>(); // the flow inspector's last step: the call as sent

        return services;
    }
}
