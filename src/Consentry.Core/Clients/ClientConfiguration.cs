using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Clients;

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> builder)
    {
        builder.ToTable("clients");
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.OwnsOne(c => c.Profile, p =>
        {
            p.Property(x => x.LogoUrl).HasMaxLength(2048);
            p.Property(x => x.IconUrl).HasMaxLength(2048);
            p.Property(x => x.RedirectUrl).HasMaxLength(2048);
        });
        builder.Property(c => c.SyncSettings).HasJsonConversion();
        builder.Property(c => c.LinkSettings).HasJsonConversion();
    }
}
