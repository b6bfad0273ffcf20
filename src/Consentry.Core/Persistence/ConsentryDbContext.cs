using System.Linq.Expressions;
using Consentry.Core.Clients;
using Consentry.Core.Companies;
using Consentry.Core.Connections;
using Consentry.Core.Consents;
using Consentry.Core.Idempotency;
using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Core.Monitoring;
using Consentry.Core.Portal;
using Consentry.Core.Sync;
using Consentry.Core.Tenancy;
using Consentry.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace Consentry.Core.Persistence;

/// <summary>
/// The one DbContext, for SQLite and PostgreSQL alike. Tenant-owned sets are filtered by the current client here,
/// in the data access itself, so a forgotten <c>Where</c> cannot leak another client's rows.
/// </summary>
/// <remarks>
/// Instances are pooled (<c>AddPooledDbContextFactory</c>): the host rents one per scope and hands it that scope's
/// tenant with <see cref="UseClient"/>; returning it to the pool (Dispose) forgets the tenant, so a context is never
/// rented out still acting for the previous client. A context nobody gave a tenant sees no tenant-owned rows.
/// </remarks>
public sealed class ConsentryDbContext(DbContextOptions<ConsentryDbContext> options) : DbContext(options)
{
    private IClientContext tenant = NoClient.Instance;

    /// <summary>Read by the query filters for every query, so one model serves all tenants.</summary>
    private Guid? CurrentClientId => tenant.ClientId;

    /// <summary>Makes this context act for <paramref name="tenantContext"/> (read at every query and save) until it is disposed.</summary>
    public ConsentryDbContext UseClient(IClientContext tenantContext)
    {
        tenant = tenantContext;
        return this;
    }

    public override void Dispose()
    {
        tenant = NoClient.Instance;
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        tenant = NoClient.Instance;
        return base.DisposeAsync();
    }

    public DbSet<Client> Clients => Set<Client>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Company> Companies => Set<Company>();

    public DbSet<Connection> Connections => Set<Connection>();

    public DbSet<IntegrationSetting> IntegrationSettings => Set<IntegrationSetting>();

    public DbSet<IntegrationLogo> IntegrationLogos => Set<IntegrationLogo>();

    public DbSet<DataTypeConfig> DataTypeConfigs => Set<DataTypeConfig>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<ConnectionToken> ConnectionTokens => Set<ConnectionToken>();

    public DbSet<OAuthFlow> OAuthFlows => Set<OAuthFlow>();

    public DbSet<JourneyEvent> JourneyEvents => Set<JourneyEvent>();

    public DbSet<UploadedFile> UploadedFiles => Set<UploadedFile>();

    public DbSet<PlatformRequest> PlatformRequests => Set<PlatformRequest>();

    public DbSet<Experiment> Experiments => Set<Experiment>();

    public DbSet<ExperimentAssignment> ExperimentAssignments => Set<ExperimentAssignment>();

    public DbSet<JourneyMark> JourneyMarks => Set<JourneyMark>();

    public DbSet<JourneyDailyCount> JourneyDailyCounts => Set<JourneyDailyCount>();

    public DbSet<PortalUser> PortalUsers => Set<PortalUser>();

    public DbSet<WebhookConsumer> WebhookConsumers => Set<WebhookConsumer>();

    public DbSet<WebhookSecret> WebhookSecrets => Set<WebhookSecret>();

    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    public DbSet<Dataset> Datasets => Set<Dataset>();

    public DbSet<SyncRead> SyncReads => Set<SyncRead>();

    public DbSet<SyncSchedule> SyncSchedules => Set<SyncSchedule>();

    public DbSet<CachedRecord> Records => Set<CachedRecord>();

    public DbSet<Product> Products => Set<Product>();

    public DbSet<CompanyProduct> CompanyProducts => Set<CompanyProduct>();

    public DbSet<ConsentRecord> ConsentRecords => Set<ConsentRecord>();

    public DbSet<ConsentText> ConsentTexts => Set<ConsentText>();

    public DbSet<ConnectionConsent> ConnectionConsents => Set<ConnectionConsent>();

    public DbSet<Security.KeyRotation> KeyRotations => Set<Security.KeyRotation>();

    public DbSet<Security.KeyRotationCursor> KeyRotationCursors => Set<Security.KeyRotationCursor>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ConsentryDbContext).Assembly);
        MapJsonFunctions(modelBuilder);
        MapCompanySearch(modelBuilder);

        foreach (var entity in modelBuilder.Model.GetEntityTypes()
                     .Where(e => typeof(IClientOwned).IsAssignableFrom(e.ClrType) && e.BaseType is null))
        {
            modelBuilder.Entity(entity.ClrType).HasQueryFilter(ClientFilter(entity.ClrType));
        }

        // Ids are made by the code (Guid v7), never by EF: a new row reached through a navigation is then an insert.
        foreach (var key in modelBuilder.Model.GetEntityTypes().Select(e => e.FindPrimaryKey())
                     .Where(k => k is { Properties: [{ ClrType: var type }] } && type == typeof(Guid)))
        {
            key!.Properties[0].ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;
        }
    }

    /// <summary>The cached records' JSON: jsonb and SQL functions on PostgreSQL, json_extract on SQLite (see <see cref="JsonFunctions"/>).</summary>
    private void MapJsonFunctions(ModelBuilder modelBuilder)
    {
        var postgres = Database.IsPostgres();
        if (postgres)
        {
            modelBuilder.Entity<CachedRecord>().Property(r => r.Data).HasColumnType("jsonb");
        }

        var type = typeof(JsonFunctions);
        modelBuilder.HasDbFunction(type.GetMethod(nameof(JsonFunctions.Text))!).HasName(postgres ? "consentry_json_text" : "json_extract");
        modelBuilder.HasDbFunction(type.GetMethod(nameof(JsonFunctions.Number))!).HasName(postgres ? "consentry_json_number" : "json_extract");
        modelBuilder.HasDbFunction(type.GetMethod(nameof(JsonFunctions.Time))!).HasName("consentry_json_time");
    }

    /// <summary>In a method of its own, so a SQLite instance never compiles a call into Npgsql's provider (<see cref="ProviderCheck"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void MapTrigramIndexes(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.Entity<Company>().HasIndex(c => c.Name, "IX_companies_Name_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        modelBuilder.Entity<Company>().HasIndex(c => c.Description, "IX_companies_Description_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
    }

    /// <summary>The indexes behind <see cref="CompanySearch"/>: pg_trgm GIN indexes, or SQLite's FTS5 table.</summary>
    private void MapCompanySearch(ModelBuilder modelBuilder)
    {
        // Both providers: the exact total of a searched list beside its page's keys, in one statement (Paging).
        modelBuilder.HasDbFunction(typeof(WindowFunctions).GetMethod(nameof(WindowFunctions.CountOver))!)
            .HasTranslation(_ => new SqlFragmentExpression("COUNT(*) OVER ()", typeof(long), LongTypeMapping.Default));

        if (Database.IsPostgres())
        {
            MapTrigramIndexes(modelBuilder);
            return;
        }

        // A virtual table with triggers, which EF cannot create: the migration does, and the model only reads it.
        modelBuilder.Entity<CompanySearchRow>(b =>
        {
            b.HasNoKey();
            b.ToTable("company_search", t => t.ExcludeFromMigrations());
            b.Property(r => r.RowId).HasColumnName("rowid");
            b.Property(r => r.CompanyId).HasColumnName("company_id");
            b.Property(r => r.Name).HasColumnName("name");
            b.Property(r => r.Description).HasColumnName("description");
        });
        modelBuilder.HasDbFunction(typeof(SearchFunctions).GetMethod(nameof(SearchFunctions.Match))!).HasName("match").IsBuiltIn();

        // rowid is no column of the model; this reads it from the same table (alias) as the column passed in.
        modelBuilder.HasDbFunction(typeof(SearchFunctions).GetMethod(nameof(SearchFunctions.RowId))!).HasTranslation(args =>
            args[0] is ColumnExpression column
                ? new ColumnExpression("rowid", column.TableAlias, typeof(long), LongTypeMapping.Default, nullable: false)
                : throw new InvalidOperationException($"{nameof(SearchFunctions.RowId)} takes a column of the table."));
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every DateTime is UTC, in and out, on both providers.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampClient();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampClient();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>New rows take the current client; a row of another client can never be written through this context.</summary>
    private void StampClient()
    {
        foreach (var entry in ChangeTracker.Entries<IClientOwned>())
        {
            if (entry.State == EntityState.Added && entry.Entity.ClientId == Guid.Empty && CurrentClientId is { } id)
            {
                entry.Entity.ClientId = id;
            }
            else if (entry.State is EntityState.Modified or EntityState.Deleted or EntityState.Added
                     && CurrentClientId is { } current && entry.Entity.ClientId != current)
            {
                throw new InvalidOperationException(
                    $"Refusing to write a {entry.Metadata.ClrType.Name} of another client.");
            }
        }
    }

    private LambdaExpression ClientFilter(Type entityType)
    {
        // e => e.ClientId == this.CurrentClientId  (EF parameterizes the context member per query)
        var e = Expression.Parameter(entityType, "e");
        var clientId = Expression.Convert(Expression.Property(e, nameof(IClientOwned.ClientId)), typeof(Guid?));
        var current = Expression.Property(Expression.Constant(this), nameof(CurrentClientId));
        return Expression.Lambda(Expression.Equal(clientId, current), e);
    }

    private sealed class NoClient : IClientContext
    {
        public static readonly NoClient Instance = new();

        public Guid? ClientId => null;
    }
}
