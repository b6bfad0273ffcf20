using Consentry.Core.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Sync;

internal sealed class SyncScheduleConfiguration : IEntityTypeConfiguration<SyncSchedule>
{
    public void Configure(EntityTypeBuilder<SyncSchedule> builder)
    {
        builder.ToTable("sync_schedules");
        builder.Property(s => s.DataType).HasMaxLength(64);
        builder.HasIndex(s => new { s.ConnectionId, s.DataType }).IsUnique();
        builder.HasIndex(s => s.NextSyncAt);
        builder.HasIndex(s => new { s.CompanyId, s.DataType });
        builder.HasOne<Connection>().WithMany().HasForeignKey(s => s.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}
