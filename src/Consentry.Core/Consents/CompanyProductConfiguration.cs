using Consentry.Core.Companies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Consents;

internal sealed class CompanyProductConfiguration : IEntityTypeConfiguration<CompanyProduct>
{
    public void Configure(EntityTypeBuilder<CompanyProduct> builder)
    {
        builder.ToTable("company_products");
        builder.HasKey(p => new { p.CompanyId, p.ProductIdentifier });
        builder.Property(p => p.ProductIdentifier).HasMaxLength(Product.MaxIdentifier);
        builder.HasIndex(p => new { p.ClientId, p.ProductIdentifier });
        builder.HasOne<Company>().WithMany(c => c.Products).HasForeignKey(p => p.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}
