using Consentry.Core.Clients;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Companies;

internal sealed class CompanyConfiguration : IEntityTypeConfiguration<Company>
{
    public void Configure(EntityTypeBuilder<Company> builder)
    {
        builder.ToTable("companies");
        builder.Property(c => c.Name).HasMaxLength(CompanyRules.MaxNameLength);
        builder.Property(c => c.Description).HasMaxLength(CompanyRules.MaxDescriptionLength);
        builder.HasIndex(c => new { c.ClientId, c.Created });
        // Covers name filters (the ~ contains scan reads the index, not the table) and orderBy=name.
        builder.HasIndex(c => new { c.ClientId, c.Name });
        builder.HasOne<Client>().WithMany().HasForeignKey(c => c.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Tags).WithOne().HasForeignKey(t => t.CompanyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Connections).WithOne().HasForeignKey(c => c.CompanyId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.SyncSettings).HasJsonConversion();
    }
}
