using Consentry.Core.Companies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Link;

internal sealed class PlatformRequestConfiguration : IEntityTypeConfiguration<PlatformRequest>
{
    public void Configure(EntityTypeBuilder<PlatformRequest> builder)
    {
        builder.ToTable("platform_requests");
        builder.Property(r => r.Category).HasMaxLength(32);
        builder.Property(r => r.PlatformName).HasMaxLength(PlatformRequest.MaxNameLength);
        builder.Property(r => r.Note).HasMaxLength(PlatformRequest.MaxNoteLength);
        builder.Property(r => r.Locale).HasMaxLength(16);
        // The portal and the API list a client's requests newest first.
        builder.HasIndex(r => new { r.ClientId, r.Created });
        builder.HasIndex(r => r.CompanyId);
        builder.HasOne<Company>().WithMany().HasForeignKey(r => r.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}
