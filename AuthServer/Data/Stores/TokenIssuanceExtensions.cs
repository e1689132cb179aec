using OAuthDemo.AuthServer.Authorization;

namespace OAuthDemo.AuthServer.Data.Stores;

internal static class TokenIssuanceExtensions
{
    /// <summary>
    /// What keeps a token request cheap without changing what it does: no PBKDF2 secret check and no
    /// client query per request (<see cref="VerifiedClientSecrets"/>, <see cref="ClientSnapshots"/>),
    /// and tokens stored in batches (<see cref="TokenInsertBatcher"/>). Each says why it stays correct.
    /// </summary>
    public static IServiceCollection AddTokenIssuanceStores(this IServiceCollection services) => services
        .AddSingleton<VerifiedClientSecrets>()
        .AddSingleton<ClientSnapshots>()
        .AddHostedService<ClientChangeListener>()
        .AddSingleton<TokenInsertBatcher>();
}
