using OAuthDemo.WebClient.Authentication;

namespace OAuthDemo.WebClient.Api;

internal static class ApiClientExtensions
{
    /// <summary>The notes API client; each call carries the signed-in user's access token.</summary>
    public static IServiceCollection AddNotesApiClient(this IServiceCollection services, IConfiguration config)
    {
        services.AddHttpContextAccessor();
        services.AddTransient<UserAccessTokenHandler>();
        services.AddHttpClient<NotesApiClient>(http => http.BaseAddress = new Uri(ServiceUrls.ResourceApi(config).TrimEnd('/') + "/"))
            .AddHttpMessageHandler<UserAccessTokenHandler>();
        return services;
    }
}
