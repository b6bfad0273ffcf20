using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Webhooks;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Consentry.Querying;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Webhooks;

/// <summary>Our extensions: every attempt of a consumer (newest first, paged), and re-sending what failed.</summary>
internal static class WebhookAttemptEndpoints
{
    private static readonly QueryableProperties<WebhookAttempt> Properties = new QueryableProperties<WebhookAttempt>("Attempt")
        .Add("eventType", a => a.EventType)
        .Add("eventId", a => a.EventId)
        .Add("statusCode", a => a.StatusCode)
        .Add("succeeded", a => a.Succeeded)
        .Add("timestamp", a => a.AttemptedAt)
        .Add("durationMs", a => a.DurationMs);

    public static async Task<Results<Ok<Paged<WebhookAttemptResponse>>, CodatError>> List(
        Guid webhookId, [AsParameters] PageQuery page, ConsentryDbContext db, HttpRequest request, CancellationToken ct)
    {
        if (!await db.WebhookConsumers.AnyAsync(c => c.Id == webhookId, ct))
        {
            return new CodatError(WebhookConsumerEndpoints.NotFound(webhookId));
        }

        var result = await Paging.ToPageAsync(
            db.WebhookAttempts.AsNoTracking().Where(a => a.ConsumerId == webhookId), page, Properties,
            q => q.OrderByDescending(a => a.AttemptedAt).ThenByDescending(a => a.Id),
            a => new WebhookAttemptResponse(a.Id, a.AttemptedAt, a.EventId, a.EventType, "msg_" + a.EventId.ToString("N"), a.StatusCode, a.DurationMs, a.Succeeded, a.Error),
            request, ct);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : new CodatError(result.Error!);
    }

    /// <summary>
    /// Re-queues every delivery to this consumer that failed (ran out of attempts or met 410) since <c>since</c>, with a
    /// fresh retry schedule, and switches the consumer back on: recovering is what a team does once the endpoint is fixed.
    /// </summary>
    public static async Task<Results<Accepted<RecoverResponse>, CodatError>> Recover(
        Guid webhookId, RecoverRequest? body, ConsentryDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (body?.Since is not { } since)
        {
            return new CodatError(Error.Validation("since is required: an ISO 8601 date-time, e.g. {\"since\": \"2026-11-01T00:00:00Z\"}."));
        }

        var consumer = await db.WebhookConsumers.FirstOrDefaultAsync(c => c.Id == webhookId, ct);
        if (consumer is null)
        {
            return new CodatError(WebhookConsumerEndpoints.NotFound(webhookId));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var from = since.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(since, DateTimeKind.Utc) : since.ToUniversalTime();
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
        return TypedResults.Accepted($"/webhooks/{webhookId}/attempts", new RecoverResponse(recovered));
    }
}
