using Consentry.Core.Integrations;

namespace Consentry.Features.Integrations;

internal static class IntegrationsSetup
{
    /// <summary>Loads the catalogue data file (embedded from Features/Integrations/integrations.json) once, at start.</summary>
    public static WebApplicationBuilder AddIntegrationCatalogue(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp =>
        {
            using var stream = typeof(IntegrationsSetup).Assembly.GetManifestResourceStream("integrations.json")
                ?? throw new InvalidOperationException("The integrations catalogue is not embedded in the host.");
            // Where the operator configured a platform for every client (or a simulator stands in), it says so.
            var hosts = sp.GetRequiredService<Connectors.PlatformHosts>();
            return new IntegrationCatalogue(IntegrationCatalogue.Load(stream).All.Select(i => hosts.For(i.PlatformKey) is var host && !i.IsSandbox
                ? i with { HasOperatorCredentials = host.HasCredentials, IsSimulated = host.Simulated }
                : i));
        });
        builder.Services.AddSingleton<BrandingImages>();
        builder.Services.AddScoped<IntegrationLogoStore>();
        return builder;
    }
}
