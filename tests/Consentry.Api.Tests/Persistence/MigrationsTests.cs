using System.Data.Common;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Consentry.Core.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Persistence;

/// <summary>
/// The migrations (SQL scripts up to the EF baseline, EF's own after it) build the schema of the current model, and
/// their snapshot is the current model, on each provider. When either fails, the model changed without a migration:
/// run <c>tools/add-migration.sh Name</c> (docs/architecture.md#how-to-change-the-schema).
/// </summary>
public abstract class MigrationsTests(ConsentryApp app)
{
    [Fact]
    public async Task MigratedSchema_EqualsTheModelsSchema()
    {
        var migrated = await app.WithDbAsync(db => DescribeAsync(db.Database.GetDbConnection(), app.Provider));

        Assert.Equal(await ModelSchemaAsync(app.Provider), migrated);
    }

    /// <summary>
    /// The model equals the snapshot of the last migration, so the next <c>dotnet ef migrations add</c> writes exactly
    /// the next change. After merging SqlScriptMigrations this fails until <c>tools/add-migration.sh --snapshot-only MergedSqlScripts</c>.
    /// </summary>
    [Fact]
    public async Task Model_HasNoChangesMissingAMigration()
    {
        var pending = await app.WithDbAsync(db => Task.FromResult(db.Database.HasPendingModelChanges()));

        Assert.False(pending, "The model changed without a migration: run tools/add-migration.sh (see docs/architecture.md).");
    }

    /// <summary>The schema EF Core's model would create on a fresh database, described as <see cref="DescribeAsync"/> does.</summary>
    internal static async Task<List<string>> ModelSchemaAsync(DatabaseProvider provider)
    {
        var (fresh, connectionString) = await FreshDatabaseAsync(provider);
        var options = new DbContextOptionsBuilder<ConsentryDbContext>();
        options.UseConsentryDatabase(provider, connectionString);
        await using (var db = new ConsentryDbContext(options.Options))
        {
            await db.Database.ExecuteSqlRawAsync(db.Database.GenerateCreateScript());
        }

        await using var connection = fresh;
        return await DescribeAsync(connection, provider);
    }

    [Fact]
    public async Task Migrate_RunTwice_IsANoOp()
    {
        var applied = await app.WithDbAsync(async db =>
        {
            await db.Database.MigrateAsync();
            return (await db.Database.GetAppliedMigrationsAsync()).ToList();
        });
        Assert.Equal(["20261121000000_Initial", "20261121010000_Webhooks", "20261121020000_Link", "20261122000000_Sync", "20261122010000_Portal", "20261122020000_Idempotency", "20261122030000_KeyRotation", "20261122040000_Consents", "20261204010000_PlatformConnectors", "20261204030000_HostedLink", "20261204100000_CodatDataShapes", "20261204200000_DataTypeConfigs", "20261204300000_SyncWindowsAndTraces", "20261205010000_CompanySearch", "20261205030000_ConsentLanguage", "20261205040000_Experiments", "20261205070000_PlatformRequests", "20261205080000_IntegrationLogos", "20261206090000_EfBaseline", "20261206090001_DatasetsByConnection", "20261206090002_ConsentDueIndex", "20261206090003_RecordsByUpdated"], applied);
    }

    private static async Task<(DbConnection Connection, string ConnectionString)> FreshDatabaseAsync(DatabaseProvider provider)
    {
        var connectionString = provider == DatabaseProvider.Sqlite
            ? $"Data Source={Path.Combine(Path.GetTempPath(), $"consentry-schema-{Guid.NewGuid():N}.db")}"
            : await PostgresServer.CreateDatabaseAsync();
        DbConnection connection = provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(connectionString)
            : new Npgsql.NpgsqlConnection(connectionString);
        return (connection, connectionString);
    }

    /// <summary>
    /// Tables, columns (type, nullability) and indexes, as one sorted text, leaving EF's own tables out, and SQLite's
    /// FTS5 search table (with its shadow tables), which the model only reads (CompanySearchTests cover it).
    /// </summary>
    internal static async Task<List<string>> DescribeAsync(DbConnection connection, DatabaseProvider provider)
    {
        var sql = provider == DatabaseProvider.Sqlite
            ? """
              SELECT m.type || ' ' || m.name || ' ' || COALESCE(p.name || ':' || p.type || ':' || p."notnull" || ':' || COALESCE(p.dflt_value, '') || ':' || p.pk, m.sql)
              FROM sqlite_master m LEFT JOIN pragma_table_info(m.name) p ON m.type = 'table'
              WHERE m.name NOT LIKE '__EF%' AND m.name NOT LIKE 'sqlite_%' AND m.type <> 'trigger'
                AND m.name NOT LIKE 'company\_search%' ESCAPE '\'
              """
            : """
              SELECT 'column ' || table_name || '.' || column_name || ':' || data_type || ':' || is_nullable || ':' || COALESCE(character_maximum_length::text, '') || ':' || COALESCE(column_default, '')
              FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '__EF%'
              UNION ALL
              SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE '__EF%'
              UNION ALL
              SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conname NOT LIKE '%EFMigrations%'
              """;
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync();
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            var rows = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join(' ', reader.GetString(0).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)));
            }

            rows.Sort(StringComparer.Ordinal);
            return rows;
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }
}

public sealed class MigrationsTests_Sqlite(SqliteApp app) : MigrationsTests(app), IClassFixture<SqliteApp>;

public sealed class MigrationsTests_Postgres(PostgresApp app) : MigrationsTests(app), IClassFixture<PostgresApp>;
