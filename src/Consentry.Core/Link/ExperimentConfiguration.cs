using Consentry.Core.Clients;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Link;

internal sealed class ExperimentConfiguration : IEntityTypeConfiguration<Experiment>
{
    public void Configure(EntityTypeBuilder<Experiment> builder)
    {
        builder.ToTable("experiments");
        builder.Property(e => e.Name).HasMaxLength(100);
        builder.Property(e => e.PromotedVariant).HasMaxLength(32);
        builder.Property(e => e.Variants).HasJsonConversion();
        // Link pages ask for the client's running experiment on every view.
        builder.HasIndex(e => new { e.ClientId, e.Status });
        builder.HasOne<Client>().WithMany().HasForeignKey(e => e.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}
