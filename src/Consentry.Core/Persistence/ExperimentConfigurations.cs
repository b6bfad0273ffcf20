using Consentry.Core.Clients;
using Consentry.Core.Link;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Persistence;

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

internal sealed class ExperimentAssignmentConfiguration : IEntityTypeConfiguration<ExperimentAssignment>
{
    public void Configure(EntityTypeBuilder<ExperimentAssignment> builder)
    {
        builder.ToTable("experiment_assignments");
        // One assignment per company and experiment: the key makes a racing second view insert nothing.
        builder.HasKey(a => new { a.ExperimentId, a.CompanyId });
        builder.HasIndex(a => new { a.ClientId, a.CompanyId });
        builder.HasOne<Experiment>().WithMany().HasForeignKey(a => a.ExperimentId).OnDelete(DeleteBehavior.Cascade);
    }
}
