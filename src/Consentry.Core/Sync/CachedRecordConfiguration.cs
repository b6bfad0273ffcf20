using Consentry.Core.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Sync;

internal sealed class CachedRecordConfiguration : IEntityTypeConfiguration<CachedRecord>
{
    public void Configure(EntityTypeBuilder<CachedRecord> builder)
    {
        builder.ToTable("records");
        builder.Property(r => r.DataType).HasMaxLength(64);
        builder.Property(r => r.RecordId).HasMaxLength(200);
        // The upsert's conflict target: a re-read or a resumed read updates a record, never duplicates it.
        builder.HasIndex(r => new { r.ConnectionId, r.DataType, r.RecordId }).IsUnique();
        // Listing a company's records of a type in a stable order.
        builder.HasIndex(r => new { r.CompanyId, r.DataType, r.Id });
        // The end of a full read finds the records it did not write (Updated before it started) from this index alone,
        // instead of visiting every record of the type: 200–400 ms at the end of a 50,000-record read on SQLite, with
        // the write lock held (docs/benchmarks.md, "Sync, round 4"). Cheap to keep: a page's records share one Updated.
        builder.HasIndex(r => new { r.ConnectionId, r.DataType, r.Updated });
        builder.HasOne<Connection>().WithMany().HasForeignKey(r => r.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}
