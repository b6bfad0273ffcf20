using Consentry.Connectors.OAuth2;
using Consentry.Core.Sync;
using Consentry.Infrastructure.Work;

namespace Consentry.Features.Sync;

internal static class SyncSetup
{
    /// <summary>The sync engine: queueing, the read worker and scheduler, the platform data client and token refresh.</summary>
    public static WebApplicationBuilder AddSync(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SyncOptions>()
            .Bind(builder.Configuration.GetSection(SyncOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddScoped<DatasetReader>();
        builder.Services.AddScoped<RecordStore>();
        builder.Services.AddScoped<ReadCompletion>();
        builder.Services.AddSingleton<SyncSignal>();
        builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, CommitSignalInterceptor<Dataset, SyncSignal>>();
        builder.Services.AddHttpClient(Connectors.PlatformHttp.ClientName, c =>
        {
            c.Timeout = TimeSpan.FromSeconds(30);
            c.DefaultRequestHeaders.UserAgent.ParseAdd("Consentry-Sync/1.0");
        }).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        builder.Services.AddSingleton<SyncWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SyncWorker>());
        return builder;
    }
}
