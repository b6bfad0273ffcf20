using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Webhooks;

/// <summary>
/// Re-queues every delivery to a consumer that failed (ran out of attempts or met 410) since a moment, with a fresh
/// retry schedule, and switches the consumer back on: recovering is what a team does once the endpoint is fixed.
/// Answers how many were queued again, or why not; <c>POST /webhooks/{id}/recover</c> and Monitor › Webhooks adapt it.
/// </summary>
internal static class RecoverDeliveries
{
    public static async Task<Result<int>> RecoverAsync(Guid webhookId, DateTime? since, ConsentryDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (since is not { } moment)
        {
            return Error.Validation("since is required: an ISO 8601 date-time, e.g. {\"since\": \"2026-11-01T00:00:00Z\"}.");
        }

        var consumer = await db.WebhookConsumers.FirstOrDefaultAsync(c => c.Id == webhookId, ct);
        if (consumer is null)
        {
            return ManageWebhookConsumers.NotFound(webhookId);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var from = moment.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(moment, DateTimeKind.Utc) : moment.ToUniversalTime();
        var recovered = await db.WebhookDeliveries
            .Where(d => d.ConsumerId == webhookId && d.Status == DeliveryStatus.Failed && d.Created >= from)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Pending)
                .SetProperty(d => d.AttemptCount, 0)
                .SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.CompletedAt, (DateTime?)null), ct);
        consumer.Disabled = false;
        consumer.DisabledReason = null;
        consumer.DisabledAt = null;
        consumer.FailingSince = null;
        await db.SaveChangesAsync(ct);
        return recovered;
    }
}
