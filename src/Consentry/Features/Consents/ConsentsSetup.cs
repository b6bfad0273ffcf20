using Consentry.Features.Connections;

namespace Consentry.Features.Consents;

internal static class ConsentsSetup
{
    /// <summary>Products, consent changes, and consent expiry (the Link journey's consent step is Features/Link/LinkConsents).</summary>
    public static WebApplicationBuilder AddConsents(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsentOptions>()
            .Bind(builder.Configuration.GetSection(ConsentOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddScoped<ConsentChanges>();
        builder.Services.AddScoped<IConnectionProductSource, ConsentProductSource>();
        builder.Services.AddSingleton<ConsentExpiry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConsentExpiry>());
        return builder;
    }
}
