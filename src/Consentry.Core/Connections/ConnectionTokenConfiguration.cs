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
        // The platform account's parameters; the column keeps its first name.
        builder.Property(t => t.Account).HasJsonConversion().HasColumnName("Tenant");
        builder.HasOne<Connection>().WithOne().HasForeignKey<ConnectionToken>(t => t.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}
