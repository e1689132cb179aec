using Microsoft.Extensions.Options;

namespace OAuthDemo.AuthServer.Configuration;

internal static class AuthServerSettingsExtensions
{
    /// <summary>
    /// Binds the <c>AuthServer</c> section, validated when the host starts (a bad setting stops the
    /// start, named), and returns it for the options that must be known while services are added.
    /// </summary>
    public static AuthServerSettings AddAuthServerSettings(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthServerSettings>().BindConfiguration(AuthServerSettings.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthServerSettings>>(new AuthServerSettingsValidator { RequireHttps = !builder.Environment.IsDevelopment() });
        return builder.Configuration.GetSection(AuthServerSettings.SectionName).Get<AuthServerSettings>() ?? new();
    }
}
