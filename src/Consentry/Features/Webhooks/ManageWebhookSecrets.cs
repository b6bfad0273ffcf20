using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Webhooks;

/// <summary>
/// A consumer's signing secret: read it, or rotate it. After a rotation both secrets sign every message for 24 hours
/// (Standard Webhooks carries several signatures), so receivers can switch without losing a message. Each answers the
/// secret or why not; <see cref="WebhookSecretEndpoints"/> and the portal's Settings › Webhooks page adapt it.
/// </summary>
internal static class ManageWebhookSecrets
{
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    public static async Task<Result<string>> GetAsync(Guid webhookId, ConsentryDbContext db, SecretProtector secrets, CancellationToken ct)
    {
        var current = await db.WebhookSecrets.AsNoTracking().Where(s => s.ConsumerId == webhookId && s.ExpiresAt == null)
            .OrderByDescending(s => s.Created).FirstOrDefaultAsync(ct);
        return current is null ? ManageWebhookConsumers.NotFound(webhookId) : secrets.Unprotect(current.ProtectedKey);
    }

    public static async Task<Result<string>> RotateAsync(
        Guid webhookId, ConsentryDbContext db, SecretProtector secrets, TimeProvider time, CancellationToken ct)
    {
        var consumer = await db.WebhookConsumers.Include(c => c.Secrets).FirstOrDefaultAsync(c => c.Id == webhookId, ct);
        if (consumer is null)
        {
            return ManageWebhookConsumers.NotFound(webhookId);
        }

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var old in consumer.Secrets.Where(s => s.ExpiresAt is null || s.ExpiresAt > now + RotationOverlap))
        {
            old.ExpiresAt = now + RotationOverlap;
        }

        // Secrets that stopped signing are no longer needed.
        db.WebhookSecrets.RemoveRange(consumer.Secrets.Where(s => s.ExpiresAt <= now));
        var fresh = WebhookSigning.NewSecret();
        db.WebhookSecrets.Add(new WebhookSecret { Id = Guid.CreateVersion7(), ConsumerId = consumer.Id, ProtectedKey = secrets.Protect(fresh), Created = now });
        await db.SaveChangesAsync(ct);
        return fresh;
    }
}
