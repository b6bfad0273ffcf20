using Microsoft.OpenApi;

namespace Consentry.Infrastructure.OpenApi;

internal static class OpenApiSetup
{
    public static WebApplicationBuilder AddApiDocs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Consentry Platform API",
                Version = "v1",
                Description = "Codat-compatible Platform API. Authenticate with `Authorization: Basic base64(apiKey)`.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["auth_header"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "Authorization",
                Description = "Basic followed by the base64 of your API key (no user name, no colon).",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("auth_header", document)] = [] }];
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>The document at <c>/openapi/v1.json</c> and a browsable UI at <c>/docs</c>.</summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Consentry Platform API v1");
            o.RoutePrefix = "docs";
            o.DocumentTitle = "Consentry API";
        });
        return app;
    }
}
