using Consentry.Core.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Monitoring;

internal sealed class JourneyMarkConfiguration : IEntityTypeConfiguration<JourneyMark>
{
    public void Configure(EntityTypeBuilder<JourneyMark> builder)
    {
        builder.ToTable("journey_marks");
        builder.HasKey(m => new { m.CompanyId, m.Scope, m.Mark });
        builder.Property(m => m.Scope).HasMaxLength(40);
        builder.Property(m => m.Mark).HasMaxLength(64);
        builder.HasOne<Client>().WithMany().HasForeignKey(m => m.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}
