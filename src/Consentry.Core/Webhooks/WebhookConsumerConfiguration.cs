using Consentry.Core.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Webhooks;

internal sealed class WebhookConsumerConfiguration : IEntityTypeConfiguration<WebhookConsumer>
{
    public void Configure(EntityTypeBuilder<WebhookConsumer> builder)
    {
        builder.ToTable("webhook_consumers");
        builder.Property(c => c.Url).HasMaxLength(2048);
        builder.Property(c => c.DisabledReason).HasMaxLength(500);
        builder.HasIndex(c => c.ClientId);
        builder.HasOne<Client>().WithMany().HasForeignKey(c => c.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Secrets).WithOne().HasForeignKey(s => s.ConsumerId).OnDelete(DeleteBehavior.Cascade);
    }
}
