namespace Consentry.Infrastructure.Idempotency;

internal static class IdempotencySetup
{
    public static WebApplicationBuilder AddIdempotency(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdempotencyOptions>()
            .Bind(builder.Configuration.GetSection(IdempotencyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IdempotencyCleanup>();
        if (builder.Configuration.GetValue(IdempotencyOptions.Section + ":" + nameof(IdempotencyOptions.RunCleanup), true))
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<IdempotencyCleanup>());
        }

        return builder;
    }

    /// <summary>After authorization: keys belong to the authenticated client.</summary>
    public static IApplicationBuilder UseIdempotencyKeys(this IApplicationBuilder app) => app.UseMiddleware<IdempotencyMiddleware>();
}
