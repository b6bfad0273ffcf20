using Consentry.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Persistence;

internal sealed class KeyRotationConfiguration : IEntityTypeConfiguration<KeyRotation>
{
    public void Configure(EntityTypeBuilder<KeyRotation> builder)
    {
        builder.ToTable("key_rotations");
        builder.Property(r => r.LeaseOwner).HasMaxLength(200);
        builder.Property(r => r.Outcome).HasMaxLength(2000);
    }
}

internal sealed class KeyRotationCursorConfiguration : IEntityTypeConfiguration<KeyRotationCursor>
{
    public void Configure(EntityTypeBuilder<KeyRotationCursor> builder)
    {
        builder.ToTable("key_rotation_cursors");
        builder.HasKey(c => new { c.RotationId, c.TableName });
        builder.Property(c => c.TableName).HasMaxLength(64);
        builder.Property(c => c.After).HasMaxLength(200);
        builder.HasOne<KeyRotation>().WithMany().HasForeignKey(c => c.RotationId).OnDelete(DeleteBehavior.Cascade);
    }
}
