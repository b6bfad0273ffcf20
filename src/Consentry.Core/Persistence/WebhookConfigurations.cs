using Consentry.Core.Clients;
using Consentry.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Persistence;

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

internal sealed class WebhookSecretConfiguration : IEntityTypeConfiguration<WebhookSecret>
{
    public void Configure(EntityTypeBuilder<WebhookSecret> builder) => builder.ToTable("webhook_secrets");
}

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> builder)
    {
        builder.ToTable("webhook_events");
        builder.Property(e => e.EventType).HasMaxLength(100);
        builder.Property(e => e.TraceParent).HasMaxLength(64);
        builder.Ignore(e => e.MessageId);
        // Events outlive their company (company.deleted must still be delivered), so there is no company foreign key.
        builder.HasIndex(e => new { e.ClientId, e.GeneratedDate });
        builder.HasOne<Client>().WithMany().HasForeignKey(e => e.ClientId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.Property(d => d.LeaseOwner).HasMaxLength(100);
        // The claim query: due, pending deliveries in time order.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.ConsumerId, d.Status });
        builder.HasIndex(d => d.EventId);
        builder.HasOne<WebhookEvent>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WebhookConsumer>().WithMany().HasForeignKey(d => d.ConsumerId).OnDelete(DeleteBehavior.Cascade);
    }
}

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
