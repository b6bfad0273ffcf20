using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Link;

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
