using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Security;

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
