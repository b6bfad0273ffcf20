using Consentry.Core.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Monitoring;

internal sealed class JourneyDailyCountConfiguration : IEntityTypeConfiguration<JourneyDailyCount>
{
    public void Configure(EntityTypeBuilder<JourneyDailyCount> builder)
    {
        builder.ToTable("journey_daily_counts");
        // The overview reads one client's days in a range: the key is that index.
        builder.HasKey(d => new { d.ClientId, d.Day, d.Scope, d.Mark });
        // Covering, in (scope, mark) order: the overview's sums and the weekly line read only this index.
        builder.HasIndex(d => new { d.ClientId, d.Scope, d.Mark, d.Day, d.Count });
        builder.Property(d => d.Scope).HasMaxLength(40);
        builder.Property(d => d.Mark).HasMaxLength(64);
        builder.HasOne<Client>().WithMany().HasForeignKey(d => d.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}
