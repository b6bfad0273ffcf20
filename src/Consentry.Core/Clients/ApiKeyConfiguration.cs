using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Clients;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasIndex(k => k.Hash).IsUnique();
        builder.HasIndex(k => k.ClientId);
        builder.Property(k => k.Name).HasMaxLength(50);
        builder.Property(k => k.Hint).HasMaxLength(32);
        builder.HasOne<Client>().WithMany().HasForeignKey(k => k.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}
