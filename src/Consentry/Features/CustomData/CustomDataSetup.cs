using Consentry.Features.Sync;

namespace Consentry.Features.CustomData;

internal static class CustomDataSetup
{
    /// <summary>Custom data types and supplemental data: the reads of the sync engine go through the client's configurations.</summary>
    public static WebApplicationBuilder AddCustomData(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<IConfiguredSources, ConfiguredSources>();
        return builder;
    }
}
