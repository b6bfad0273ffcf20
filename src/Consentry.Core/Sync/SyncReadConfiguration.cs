using Consentry.Core.Companies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Sync;

internal sealed class SyncReadConfiguration : IEntityTypeConfiguration<SyncRead>
{
    public void Configure(EntityTypeBuilder<SyncRead> builder)
    {
        builder.ToTable("sync_reads");
        builder.HasOne<Company>().WithMany().HasForeignKey(r => r.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}
