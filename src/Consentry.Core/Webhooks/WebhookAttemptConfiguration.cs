using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Webhooks;

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.ToTable("webhook_attempts");
        builder.Property(a => a.EventType).HasMaxLength(100);
        builder.Property(a => a.Error).HasMaxLength(1000);
        builder.Property(a => a.Worker).HasMaxLength(100);
        builder.HasIndex(a => new { a.ConsumerId, a.AttemptedAt });
        builder.HasOne<WebhookConsumer>().WithMany().HasForeignKey(a => a.ConsumerId).OnDelete(DeleteBehavior.Cascade);
    }
}
