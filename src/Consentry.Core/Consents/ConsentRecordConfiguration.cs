using Consentry.Core.Connections;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Consents;

/// <summary>The ledger has no foreign keys on purpose: it outlives connections and companies (see <see cref="ConsentRecord"/>).</summary>
internal sealed class ConsentRecordConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> builder)
    {
        builder.ToTable("consent_records");
        builder.Property(r => r.PlatformKey).HasMaxLength(16);
        builder.Property(r => r.ProductIdentifier).HasMaxLength(Product.MaxIdentifier);
        builder.Property(r => r.DataTypes).HasJsonConversion();
        builder.Property(r => r.TextHash).HasMaxLength(64);
        builder.Property(r => r.Language).HasMaxLength(16);
        builder.Property(r => r.ActorId).HasMaxLength(100);
        builder.Property(r => r.IpAddress).HasMaxLength(64);
        builder.Property(r => r.UserAgent).HasMaxLength(500);
        builder.Property(r => r.Reason).HasMaxLength(200);
        builder.HasIndex(r => new { r.ClientId, r.CompanyId, r.At });
        builder.HasIndex(r => r.ConnectionId);
    }
}

internal sealed class ConsentTextConfiguration : IEntityTypeConfiguration<ConsentText>
{
    public void Configure(EntityTypeBuilder<ConsentText> builder)
    {
        builder.ToTable("consent_texts");
        builder.HasKey(t => t.Hash);
        builder.Property(t => t.Hash).HasMaxLength(64);
    }
}

internal sealed class ConnectionConsentConfiguration : IEntityTypeConfiguration<ConnectionConsent>
{
    public void Configure(EntityTypeBuilder<ConnectionConsent> builder)
    {
        builder.ToTable("connection_consents");
        builder.HasKey(c => new { c.ConnectionId, c.ProductIdentifier });
        builder.Property(c => c.ProductIdentifier).HasMaxLength(Product.MaxIdentifier);
        builder.Property(c => c.DataTypes).HasJsonConversion();
        builder.HasIndex(c => c.CompanyId);
        builder.Ignore(c => c.IsGeneral);
        builder.HasOne<Connection>().WithMany().HasForeignKey(c => c.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}
