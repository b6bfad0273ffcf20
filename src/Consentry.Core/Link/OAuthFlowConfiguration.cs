using Consentry.Core.Companies;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Link;

internal sealed class OAuthFlowConfiguration : IEntityTypeConfiguration<OAuthFlow>
{
    public void Configure(EntityTypeBuilder<OAuthFlow> builder)
    {
        builder.ToTable("oauth_flows");
        builder.Property(f => f.PlatformKey).HasMaxLength(16);
        builder.Property(f => f.RedirectUri).HasMaxLength(2048);
        builder.Property(f => f.ReturnParameters).HasJsonConversion();
        builder.Property(f => f.Account).HasJsonConversion().HasColumnName("Tenant"); // the platform account; the column keeps its first name
        builder.Property(f => f.Consent).HasJsonConversion();
        builder.Property(f => f.PendingAccounts).HasJsonConversion();
        builder.HasIndex(f => f.StateHash).IsUnique();
        builder.HasIndex(f => f.ExpiresAt);
        builder.HasOne<Company>().WithMany().HasForeignKey(f => f.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}
