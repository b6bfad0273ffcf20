using Consentry.Core.Clients;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Consents;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("products");
        builder.Property(p => p.Identifier).HasMaxLength(Product.MaxIdentifier);
        builder.Property(p => p.Name).HasMaxLength(Product.MaxName);
        builder.Property(p => p.Description).HasMaxLength(Product.MaxDescription);
        builder.Property(p => p.DataTypes).HasJsonConversion();
        builder.HasIndex(p => new { p.ClientId, p.Identifier }).IsUnique();
        builder.HasOne<Client>().WithMany().HasForeignKey(p => p.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}
