using Consentry.Core.Clients;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Integrations;

internal sealed class IntegrationSettingConfiguration : IEntityTypeConfiguration<IntegrationSetting>
{
    public void Configure(EntityTypeBuilder<IntegrationSetting> builder)
    {
        builder.ToTable("integration_settings");
        builder.HasKey(s => new { s.ClientId, s.PlatformKey });
        builder.Property(s => s.PlatformKey).HasMaxLength(16);
        builder.Property(s => s.OAuthClientId).HasMaxLength(512);
        builder.Property(s => s.Scopes).HasJsonConversion();
        builder.Ignore(s => s.HasCredentials);
        builder.HasOne<Client>().WithMany().HasForeignKey(s => s.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}
