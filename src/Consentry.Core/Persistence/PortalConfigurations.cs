using Consentry.Core.Clients;
using Consentry.Core.Monitoring;
using Consentry.Core.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Persistence;

internal sealed class JourneyMarkConfiguration : IEntityTypeConfiguration<JourneyMark>
{
    public void Configure(EntityTypeBuilder<JourneyMark> builder)
    {
        builder.ToTable("journey_marks");
        builder.HasKey(m => new { m.CompanyId, m.Scope, m.Mark });
        builder.Property(m => m.Scope).HasMaxLength(40);
        builder.Property(m => m.Mark).HasMaxLength(64);
        builder.HasOne<Client>().WithMany().HasForeignKey(m => m.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class JourneyDailyCountConfiguration : IEntityTypeConfiguration<JourneyDailyCount>
{
    public void Configure(EntityTypeBuilder<JourneyDailyCount> builder)
    {
        builder.ToTable("journey_daily_counts");
        // The overview reads one client's days in a range: the key is that index.
        builder.HasKey(d => new { d.ClientId, d.Day, d.Scope, d.Mark });
        // Covering, in (scope, mark) order: the overview's sums and the weekly line read only this index.
        builder.HasIndex(d => new { d.ClientId, d.Scope, d.Mark, d.Day, d.Count });
        builder.Property(d => d.Scope).HasMaxLength(40);
        builder.Property(d => d.Mark).HasMaxLength(64);
        builder.HasOne<Client>().WithMany().HasForeignKey(d => d.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> builder)
    {
        builder.ToTable("portal_users");
        builder.Property(u => u.Email).HasMaxLength(PortalUser.MaxEmail);
        builder.Property(u => u.PasswordHash).HasMaxLength(200);
        builder.HasIndex(u => u.Email).IsUnique();
        builder.HasIndex(u => u.ClientId);
        builder.HasOne<Client>().WithMany().HasForeignKey(u => u.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}
