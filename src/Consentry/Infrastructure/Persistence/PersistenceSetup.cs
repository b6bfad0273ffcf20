using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Core.Tenancy;
using Consentry.Infrastructure.Options;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Consentry.Infrastructure.Persistence;

internal static class PersistenceSetup
{
    /// <summary>EF Core on SQLite (embedded default) or PostgreSQL, Data Protection keys in the same database.</summary>
    public static WebApplicationBuilder AddPersistence(this WebApplicationBuilder builder)
    {
        // Pooled: a request rents a ready context (its services, change tracker and caches built once) instead of
        // building one, then hands it the scope's tenant. Disposing the scope returns it, tenant forgotten
        // (ConsentryDbContext.Dispose); the pool's reset clears the change tracker and connection state.
        builder.Services.AddPooledDbContextFactory<ConsentryDbContext>((sp, options) =>
        {
            var consentry = sp.GetRequiredService<IOptions<ConsentryOptions>>().Value;
            options.UseConsentryDatabase(consentry.Database.Provider, ConnectionString(builder.Configuration, consentry))
                .AddInterceptors(sp.GetServices<IInterceptor>());
        }, poolSize: 256);
        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<ConsentryDbContext>>().CreateDbContext()
            .UseClient(sp.GetRequiredService<IClientContext>()));

        builder.Services.AddHealthChecks().AddDbContextCheck<ConsentryDbContext>("database");
        // SQLite's log is copied back into the database in the background, not inside a commit (a no-op on PostgreSQL).
        builder.Services.AddSingleton<SqliteCheckpoints>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SqliteCheckpoints>());

        builder.Services.AddSingleton<DbContextXmlRepository>();
        builder.Services.AddDataProtection().SetApplicationName("Consentry");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<DbContextXmlRepository>((o, repository) => o.XmlRepository = repository);
        builder.Services.AddSingleton<SecretProtector>();
        builder.Services.AddSingleton<CompanyAccessTokens>();
        return builder;
    }

    public static string ConnectionString(IConfiguration configuration, ConsentryOptions options)
    {
        var configured = configuration.GetConnectionString("Consentry");
        if (!string.IsNullOrWhiteSpace(configured) || options.Database.Provider == DatabaseProvider.Postgres)
        {
            return configured ?? "";
        }

        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Path.GetFullPath(options.DataDirectory), "consentry.db"),
        }.ToString();
    }
}
