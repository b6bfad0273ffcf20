using Consentry.Core.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Integrations;

internal sealed class DataTypeConfigConfiguration : IEntityTypeConfiguration<DataTypeConfig>
{
    public void Configure(EntityTypeBuilder<DataTypeConfig> builder)
    {
        builder.ToTable("data_type_configs");
        builder.HasKey(c => new { c.ClientId, c.PlatformKey, c.Kind, c.Name });
        builder.Property(c => c.PlatformKey).HasMaxLength(16);
        builder.Property(c => c.Kind).HasMaxLength(16);
        builder.Property(c => c.Name).HasMaxLength(64);
        builder.HasOne<Client>().WithMany().HasForeignKey(c => c.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}
