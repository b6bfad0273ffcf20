using Consentry.Features.Connections;

namespace Consentry.Features.Consents;

internal static class ConsentsSetup
{
    /// <summary>Products, the consent ledger, the consent steps of Link, and consent expiry.</summary>
    public static WebApplicationBuilder AddConsents(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsentOptions>()
            .Bind(builder.Configuration.GetSection(ConsentOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddScoped<ConsentTextWriter>();
        builder.Services.AddScoped<LinkConsents>();
        builder.Services.AddScoped<ConsentChanges>();
        builder.Services.AddScoped<IConnectionProductSource, ConsentProductSource>();
        builder.Services.AddSingleton<ConsentExpiry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConsentExpiry>());
        return builder;
    }
}
