using Consentry.Core.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Webhooks;

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
