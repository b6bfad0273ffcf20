using Consentry.Core.Companies;
using Consentry.Core.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Sync;

internal sealed class DatasetConfiguration : IEntityTypeConfiguration<Dataset>
{
    public void Configure(EntityTypeBuilder<Dataset> builder)
    {
        builder.ToTable("datasets");
        builder.Property(d => d.DataType).HasMaxLength(64);
        builder.Property(d => d.StatusDescription).HasMaxLength(500);
        builder.Property(d => d.ErrorMessage).HasMaxLength(1000);
        builder.Property(d => d.LeaseOwner).HasMaxLength(100);
        builder.Property(d => d.Worker).HasMaxLength(100);
        builder.Property(d => d.Cursor).HasMaxLength(2048);
        builder.Property(d => d.TraceParent).HasMaxLength(64);
        builder.Ignore(d => d.IsActive);
        builder.Ignore(d => d.IsSuccessful);
        builder.Ignore(d => d.IsErrored);
        // One read of a data type per connection at a time, across every instance: the database refuses a second.
        builder.HasIndex(d => new { d.ConnectionId, d.DataType }).IsUnique().HasFilter("\"Status\" IN ('Queued', 'Fetching')")
            .HasDatabaseName("IX_datasets_active");
        // The claim query: due, active datasets in time order.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.CompanyId, d.Requested });
        builder.HasIndex(d => d.ReadId);
        // A connection's datasets by status and data type: the callback's and "sync now"'s active reads, the last full
        // read of a data type. Without statistics SQLite's planner otherwise picks a (ClientId, ...) index for these and
        // reads every dataset of the client: a journey got dearer with every journey before it (bench/journeys/notes.md).
        builder.HasIndex(d => new { d.ConnectionId, d.Status, d.DataType });
        // Platform health reads the client's datasets that finished in the last 24 hours. Partial (finished datasets
        // only), so that only a query naming "Completed" can use it, never a look-up by the client alone.
        builder.HasIndex(d => new { d.ClientId, d.Completed }).HasFilter("\"Completed\" IS NOT NULL");
        builder.HasOne<Connection>().WithMany().HasForeignKey(d => d.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Company>().WithMany().HasForeignKey(d => d.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}
