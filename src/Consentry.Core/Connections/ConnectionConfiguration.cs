using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Connections;

internal sealed class ConnectionConfiguration : IEntityTypeConfiguration<Connection>
{
    public void Configure(EntityTypeBuilder<Connection> builder)
    {
        builder.ToTable("connections");
        // The column keeps its first name; the code says PlatformKey (docs/architecture.md#glossary).
        builder.Property(c => c.PlatformKey).HasMaxLength(16).HasColumnName("IntegrationKey");
        builder.Property(c => c.PlatformName).HasMaxLength(200);
        builder.HasIndex(c => new { c.CompanyId, c.Created });
        // Tenant-filtered reads of one company's connections match both columns (an index on ClientId alone would
        // make SQLite walk every connection of the client).
        builder.HasIndex(c => new { c.ClientId, c.CompanyId });
        builder.Property(c => c.Errors).HasJsonConversion().HasDefaultValueSql("'[]'");
        // The consent-expiry sweep (every few seconds on every instance): linked connections whose platform consent ends,
        // soonest first. Partial, so it holds only those rows and the sweep never walks every connection.
        builder.HasIndex(c => c.ConsentExpiresAt).HasDatabaseName(ConsentDueIndex)
            .HasFilter("\"ConsentExpiresAt\" IS NOT NULL AND \"Status\" = 'Linked'");

        // A company has at most one accounting connection that is not Unlinked; the database enforces it so two
        // concurrent creates cannot both win. Double-quoted identifiers work on SQLite and PostgreSQL alike.
        builder.HasIndex(c => c.CompanyId)
            .IsUnique()
            .HasDatabaseName(OneAccountingConnectionIndex)
            .HasFilter("\"SourceType\" = 'Accounting' AND \"Status\" <> 'Unlinked'");
    }

    public const string OneAccountingConnectionIndex = "ux_connections_one_accounting_per_company";

    public const string ConsentDueIndex = "IX_connections_consent_due";
}
