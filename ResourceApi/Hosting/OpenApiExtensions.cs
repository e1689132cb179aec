using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OAuthDemo.ResourceApi.Hosting;

internal static class OpenApiExtensions
{
    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecuritySchemeTransformer>());

    /// <summary>Describes the bearer scheme so that tools send the access token.</summary>
    private sealed class BearerSecuritySchemeTransformer : IOpenApiDocumentTransformer
    {
        public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
        {
            document.Info.Title = "OAuthDemo resource API";
            document.Info.Description = "Send an access token from the OAuthDemo auth server (audience resource-api) as `Authorization: Bearer …`.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An RFC 9068 access token (typ at+jwt) issued by the OAuthDemo auth server.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
            return Task.CompletedTask;
        }
    }
}
