using Consentry.Core.Clients;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Infrastructure.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consentry.Infrastructure.Persistence;

/// <summary>Brings the database up to date and ensures the configured clients exist, before the host serves requests.</summary>
internal static class DatabaseStartup
{
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ConsentryOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Consentry.Startup");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();

        if (options.Database.Provider == DatabaseProvider.Sqlite)
        {
            Directory.CreateDirectory(Path.GetFullPath(options.DataDirectory));
            // WAL lets readers run beside the writer; the setting is stored in the database file.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            await db.Database.CloseConnectionAsync();
        }

        // Instances starting together on PostgreSQL take turns: EF Core's own migration lock did not keep two of them
        // from applying the same script (proved by ClusterStartupTests), so a session advisory lock on the connection
        // the migrations run on covers migrating and bootstrapping. SQLite's single writer (and EF's lock) suffices there.
        var postgres = db.Database.IsPostgres();
        if (postgres)
        {
            await db.Database.OpenConnectionAsync();
            await RawSql.ExecuteAsync(db, "SELECT pg_advisory_lock(@key)", new Dictionary<string, object?> { ["key"] = StartupLockKey }, CancellationToken.None);
        }

        try
        {
            await db.Database.MigrateAsync();
            logger.LogInformation("Database ready ({Provider}).", options.Database.Provider);
            await BootstrapClientsAsync(db, options, app.Services.GetRequiredService<TimeProvider>());
        }
        finally
        {
            if (postgres)
            {
                await RawSql.ExecuteAsync(db, "SELECT pg_advisory_unlock(@key)", new Dictionary<string, object?> { ["key"] = StartupLockKey }, CancellationToken.None);
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>Any fixed number: the advisory lock instances of one database take while they migrate and bootstrap.</summary>
    private const long StartupLockKey = 0x436F6E73656E7472; // "Consentr"

    private static async Task BootstrapClientsAsync(ConsentryDbContext db, ConsentryOptions options, TimeProvider time)
    {
        var bootstrap = options.Bootstrap;
        var wanted = bootstrap.Clients.Select(c => (Name: c.Name!, Key: c.ApiKey!)).ToList();
        if (bootstrap.ApiKey is { } defaultKey)
        {
            wanted.Insert(0, ("Default", defaultKey));
        }

        foreach (var (name, key) in wanted)
        {
            await EnsureClientAsync(db, name, key, time);
        }

        if (wanted.Count == 0 && !await db.Clients.AnyAsync())
        {
            var key = ApiKeySecret.Generate();
            await EnsureClientAsync(db, "Default", key, time);
            // Printed, not logged: log pipelines must never carry keys. This is the only time the key is shown.
            Console.WriteLine($"Consentry created the client 'Default'. Its API key (shown once): {key}");
            Console.WriteLine($"Use it as: Authorization: Basic {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key))}");
        }
    }

    /// <summary>Idempotent: a known key is left alone; a new key joins the client of that name, or a new client.</summary>
    private static async Task EnsureClientAsync(ConsentryDbContext db, string name, string apiKey, TimeProvider time)
    {
        var hash = ApiKeySecret.Hash(apiKey);
        if (await db.ApiKeys.IgnoreQueryFilters().AnyAsync(k => k.Hash == hash))
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var client = await db.Clients.FirstOrDefaultAsync(c => c.Name == name);
        if (client is null)
        {
            client = new Client { Id = Guid.CreateVersion7(), Name = name, Created = now };
            client.Profile.RedirectUrl = "";
            db.Clients.Add(client);
        }

        db.ApiKeys.Add(new ApiKey
        {
            Id = Guid.CreateVersion7(),
            ClientId = client.Id,
            Name = "Bootstrap",
            Hash = hash,
            Hint = ApiKeySecret.Hint(apiKey),
            Created = now,
        });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // Another instance may have bootstrapped the same key at the same moment; anything else is real.
            db.ChangeTracker.Clear();
            if (!await db.ApiKeys.IgnoreQueryFilters().AnyAsync(k => k.Hash == hash))
            {
                throw;
            }
        }
    }
}
