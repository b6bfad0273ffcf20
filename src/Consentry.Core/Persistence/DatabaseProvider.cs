using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Consentry.Core.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>How a <see cref="ConsentryDbContext"/> is configured for each provider: one place for the host, tools and tests.</summary>
public static class ConsentryDatabase
{
    public static DbContextOptionsBuilder UseConsentryDatabase(
        this DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                SqliteEngine.Configure();
                // Each context's connection stays open and keeps its prepared statements (SqliteStatements.cs).
                SqliteStatements.Keep(options.UseSqlite(connectionString, o => o.MigrationsAssembly("Consentry.Migrations.Sqlite")))
                    .AddInterceptors(SqlitePragmas.Instance);
                break;
            case DatabaseProvider.Postgres:
                UsePostgres(options, connectionString);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider.");
        }

        // Not an error at start: a model change without its migration fails MigrationsTests (which names the command
        // to run) instead of every host start, so a merge that needs `tools/add-migration.sh --snapshot-only` is one
        // red test, not a red suite.
        return options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    /// <summary>In a method of its own, so a SQLite instance never compiles a call into Npgsql's assemblies (ProviderCheck).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void UsePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(WithAutoPrepare(connectionString), o => o.MigrationsAssembly("Consentry.Migrations.Postgres"));

    /// <summary>
    /// Lets Npgsql prepare the statements it sees repeatedly (off by default), so PostgreSQL does not parse and plan
    /// the same few queries on every request. An operator's own setting wins.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0 && !connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        // Consentry keeps no session state (no SET, temporary tables or session locks), so a pooled connection need
        // not be reset with DISCARD ALL, a round trip per reuse that also drops the prepared statements.
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}

/// <summary>
/// Per-connection SQLite settings: WAL needs only NORMAL sync to stay durable across crashes, waits on locks, and
/// leaves checkpoints to the background (<see cref="BackstopCheckpointPages"/>).
/// Applied once per physical connection, not per open (a context's connection stays open, but Microsoft.Data.Sqlite's
/// pool hands the same physical connection to other contexts' connections after one is disposed).
/// No memory map (<c>mmap_size</c> stays 0): it made a search's row look-ups cheaper, but each pooled connection maps
/// the file on its own, and while writes grow the file every connection remaps it and faults its pages in again, so
/// complete Link journeys cost the server 2.7 × the CPU (docs/benchmarks.md, "Search at 100,000 companies", round 3).
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    /// <summary>
    /// The log length (pages) at which a connection checkpoints inside its own commit, SQLite's default being 1,000: a
    /// backstop only, as the host's background checkpoint (Consentry's <c>SqliteCheckpoints</c>) keeps the log short
    /// without stalling a commit. About 40 MiB of log.
    /// </summary>
    public const int BackstopCheckpointPages = 10_000;

    /// <summary>How long SQLite's busy handler lets a statement wait for a lock another connection holds.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    private static readonly string Pragmas =
        $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}; PRAGMA wal_autocheckpoint={BackstopCheckpointPages};";

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Applied = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        RegisterFunctions(connection);
        if (FirstOpen(connection))
        {
            StablePlans(connection);
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        RegisterFunctions(connection);
        if (FirstOpen(connection))
        {
            StablePlans(connection);
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Functions the model maps (<see cref="Sync.JsonFunctions"/>): on every open, as Microsoft.Data.Sqlite unregisters them when a connection goes back to its pool.</summary>
    private static void RegisterFunctions(DbConnection connection)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            sqlite.CreateFunction<string?, string?, string?>("consentry_json_time",
                (json, path) => Sync.JsonFunctions.SqliteTime(Sync.JsonFunctions.Extract(json, path)), isDeterministic: true);
        }
    }

    /// <summary>
    /// Plans that do not depend on the values bound (SQLite's query planner stability guarantee,
    /// <c>SQLITE_DBCONFIG_ENABLE_QPSG</c>). Without it SQLite reads a bound <c>LIMIT</c>/<c>OFFSET</c> (every paged list)
    /// while planning and marks the statement to be compiled again whenever that parameter is bound, even to the same
    /// value, so a kept statement (<see cref="SqliteStatements"/>) was recompiled on every run: one
    /// <c>sqlite3Reprepare</c> per <c>GET …/connections</c> (a uprobe on <c>sqlite3LockAndPrepare</c>, docs/benchmarks.md).
    /// The plan given up is a LIMIT-aware one, which these queries' indexes already make.
    /// </summary>
    private static void StablePlans(DbConnection connection)
    {
        const int SqliteDbConfigEnableQpsg = 1007;
        if (connection is Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle })
        {
            SQLitePCL.raw.sqlite3_db_config(handle, SqliteDbConfigEnableQpsg, 1, out _);
        }
    }

    /// <summary>True the first time this physical SQLite connection (its native handle) is seen.</summary>
    private static bool FirstOpen(DbConnection connection) =>
        connection is not Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle } || Applied.TryAdd(handle, true);
}
