namespace Consentry.Domain;

/// <summary>
/// The services every feature shares, one layer below the features (docs/architecture.md#layers): a connection's
/// lifecycle, its grant and linking with credentials, the consent ledger, the sync queue, the webhook outbox and the client cache. Each works in the caller's
/// DbContext, so what it adds commits with the change that caused it.
/// </summary>
public static class DomainSetup
{
    public static WebApplicationBuilder AddDomain(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ConnectionLifecycle>();
        builder.Services.AddScoped<ConnectionFactory>();
        builder.Services.AddScoped<GrantStore>();
        builder.Services.AddScoped<ConnectionAccess>();
        builder.Services.AddScoped<CredentialLinks>();
        builder.Services.AddSingleton<RefreshLocks>();
        builder.Services.AddScoped<ConsentLedger>();
        builder.Services.AddScoped<SyncQueue>();
        builder.Services.AddScoped<WebhookOutbox>();
        builder.Services.AddSingleton<IClientCache, ClientCache>();
        builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, ClientCacheInvalidation>();
        return builder;
    }
}
