namespace Consentry.Features.Integrations;

/// <summary>Codat's integrations endpoints, our settings extension and the branding images.</summary>
public static class IntegrationsEndpoints
{
    public static RouteGroupBuilder MapIntegrationsApi(this RouteGroupBuilder api)
    {
        var integrations = api.MapGroup("/integrations").WithTags("Integrations");
        integrations.MapGet("/", ListIntegrations.Handle).WithName("list-integrations");
        integrations.MapGet("/{platformKey}", GetIntegration.Handle).WithName("get-integration");
        integrations.MapGet("/{platformKey}/branding", GetBranding.Handle).WithName("get-integrations-branding");
        integrations.MapGet("/{platformKey}/settings", IntegrationSettingEndpoints.Get).WithName("get-integration-settings");
        integrations.MapPut("/{platformKey}/settings", IntegrationSettingEndpoints.Put).WithName("set-integration-settings");
        integrations.MapDelete("/{platformKey}/settings", IntegrationSettingEndpoints.Delete).WithName("delete-integration-settings");
        return api;
    }

    /// <summary>The images are public (they end up in &lt;img&gt; tags) and cacheable.</summary>
    public static IEndpointRouteBuilder MapBrandingImages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/branding/{platformKey}/{image}.svg", GetBranding.Image).WithTags("Integrations").AllowAnonymous();
        return app;
    }
}
