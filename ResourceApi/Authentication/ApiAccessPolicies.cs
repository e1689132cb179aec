using Microsoft.AspNetCore.Authorization;

namespace OAuthDemo.ResourceApi.Authentication;

/// <summary>What each endpoint needs: a scope, and a user or a client behind the token.</summary>
public sealed record ApiAccessRequirement(string Scope, bool ForClients) : IAuthorizationRequirement;

internal sealed class ApiAccessHandler : AuthorizationHandler<ApiAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiAccessRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            var caller = Caller.From(context.User);
            if (caller.Scopes.Contains(requirement.Scope) && caller.IsClient == requirement.ForClients)
                context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

internal static class ApiAccessPolicies
{
    public const string NotesRead = "notes.read";
    public const string NotesWrite = "notes.write";
    public const string StatsRead = "stats.read";

    public static IServiceCollection AddApiAccessPolicies(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, ApiAccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, InsufficientScopeResultHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(NotesRead, p => p.RequireAuthenticatedUser().AddRequirements(new ApiAccessRequirement(NotesRead, ForClients: false)))
            .AddPolicy(NotesWrite, p => p.RequireAuthenticatedUser().AddRequirements(new ApiAccessRequirement(NotesWrite, ForClients: false)))
            .AddPolicy(StatsRead, p => p.RequireAuthenticatedUser().AddRequirements(new ApiAccessRequirement(StatsRead, ForClients: true)));
        return services;
    }
}
