using Consentry.Core.Clients;
using Consentry.Core.Companies;
using Consentry.Core.Link;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Persistence;

internal sealed class OAuthFlowConfiguration : IEntityTypeConfiguration<OAuthFlow>
{
    public void Configure(EntityTypeBuilder<OAuthFlow> builder)
    {
        builder.ToTable("oauth_flows");
        builder.Property(f => f.PlatformKey).HasMaxLength(16);
        builder.Property(f => f.RedirectUri).HasMaxLength(2048);
        builder.Property(f => f.ReturnParameters).HasJsonConversion();
        builder.Property(f => f.Tenant).HasJsonConversion();
        builder.Property(f => f.Consent).HasJsonConversion();
        builder.Property(f => f.PendingAccounts).HasJsonConversion();
        builder.HasIndex(f => f.StateHash).IsUnique();
        builder.HasIndex(f => f.ExpiresAt);
        builder.HasOne<Company>().WithMany().HasForeignKey(f => f.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class JourneyEventConfiguration : IEntityTypeConfiguration<JourneyEvent>
{
    public void Configure(EntityTypeBuilder<JourneyEvent> builder)
    {
        builder.ToTable("journey_events");
        builder.Property(e => e.PlatformKey).HasMaxLength(16);
        builder.Property(e => e.Detail).HasMaxLength(500);
        // Journey events outlive deleted companies (monitoring counts them), so no company foreign key.
        builder.HasIndex(e => new { e.ClientId, e.At });
        builder.HasIndex(e => new { e.CompanyId, e.At });
        // The callback asks whether a connection was ever authorized (connected or reconnected).
        builder.HasIndex(e => new { e.ConnectionId, e.Step });
        builder.HasOne<Client>().WithMany().HasForeignKey(e => e.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UploadedFileConfiguration : IEntityTypeConfiguration<UploadedFile>
{
    public void Configure(EntityTypeBuilder<UploadedFile> builder)
    {
        builder.ToTable("uploaded_files");
        builder.Property(f => f.Category).HasMaxLength(32);
        builder.Property(f => f.FileName).HasMaxLength(255);
        builder.Property(f => f.ContentType).HasMaxLength(100);
        builder.Property(f => f.StoredPath).HasMaxLength(1024);
        builder.HasIndex(f => f.CompanyId);
        builder.HasOne<Company>().WithMany().HasForeignKey(f => f.CompanyId).OnDelete(DeleteBehavior.Cascade);
    }
}

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
