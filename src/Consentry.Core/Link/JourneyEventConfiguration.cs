using Consentry.Core.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Link;

internal sealed class JourneyEventConfiguration : IEntityTypeConfiguration<JourneyEvent>
{
    public void Configure(EntityTypeBuilder<JourneyEvent> builder)
    {
        builder.ToTable("journey_events");
        builder.Property(e => e.PlatformKey).HasMaxLength(16);
        builder.Property(e => e.Detail).HasMaxLength(500);
        // Journey events outlive deleted companies (monitoring counts them), so no company foreign key.
        builder.HasIndex(e => new { e.ClientId, e.At });
        builder.HasIndex(e => new { e.CompanyId, e.At });
        // The callback asks whether a connection was ever authorized (connected or reconnected).
        builder.HasIndex(e => new { e.ConnectionId, e.Step });
        builder.HasOne<Client>().WithMany().HasForeignKey(e => e.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}
