using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Companies;

internal sealed class CompanyTagConfiguration : IEntityTypeConfiguration<CompanyTag>
{
    public void Configure(EntityTypeBuilder<CompanyTag> builder)
    {
        builder.ToTable("company_tags");
        builder.HasKey(t => new { t.CompanyId, t.Key });
        builder.Property(t => t.Key).HasMaxLength(CompanyRules.MaxTagKeyLength);
        builder.Property(t => t.Value).HasMaxLength(CompanyRules.MaxTagValueLength);
        builder.HasIndex(t => new { t.Key, t.Value });
    }
}
