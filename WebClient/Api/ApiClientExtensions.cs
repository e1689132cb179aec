namespace OAuthDemo.WebClient.Api;

internal static class ApiClientExtensions
{
    public static IServiceCollection AddNotesApiClient(this IServiceCollection services, IConfiguration config)
    {
        services.AddHttpContextAccessor();
        services.AddHttpClient<NotesApiClient>(http => http.BaseAddress = new Uri(ServiceUrls.ResourceApi(config).TrimEnd('/') + "/"));
        return services;
    }
}
