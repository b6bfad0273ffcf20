using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Security;

internal sealed class KeyRotationConfiguration : IEntityTypeConfiguration<KeyRotation>
{
    public void Configure(EntityTypeBuilder<KeyRotation> builder)
    {
        builder.ToTable("key_rotations");
        builder.Property(r => r.LeaseOwner).HasMaxLength(200);
        builder.Property(r => r.Outcome).HasMaxLength(2000);
    }
}
