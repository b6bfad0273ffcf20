using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Connections;

internal sealed class ConnectionTokenConfiguration : IEntityTypeConfiguration<ConnectionToken>
{
    public void Configure(EntityTypeBuilder<ConnectionToken> builder)
    {
        builder.ToTable("connection_tokens");
        builder.HasKey(t => t.ConnectionId);
        builder.Property(t => t.Tenant).HasJsonConversion();
        builder.HasOne<Connection>().WithOne().HasForeignKey<ConnectionToken>(t => t.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}
