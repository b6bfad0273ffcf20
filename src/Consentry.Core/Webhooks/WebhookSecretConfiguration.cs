using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Consentry.Core.Webhooks;

internal sealed class WebhookSecretConfiguration : IEntityTypeConfiguration<WebhookSecret>
{
    public void Configure(EntityTypeBuilder<WebhookSecret> builder) => builder.ToTable("webhook_secrets");
}
