using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Integrations;

internal sealed class IntegrationLogoConfiguration : IEntityTypeConfiguration<IntegrationLogo>
{
    public void Configure(EntityTypeBuilder<IntegrationLogo> builder)
    {
        builder.ToTable("integration_logos");
        builder.HasKey(l => new { l.PlatformKey, l.Variant });
        builder.Property(l => l.PlatformKey).HasMaxLength(16);
        builder.Property(l => l.Variant).HasMaxLength(32);
        builder.Property(l => l.ContentType).HasMaxLength(64);
        builder.Property(l => l.ETag).HasMaxLength(80);
    }
}
