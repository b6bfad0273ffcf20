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
            return new CodatError(ManageWebhookConsumers.NotFound(webhookId));
        }

        var result = await Paging.ToPageAsync(
            db.WebhookAttempts.AsNoTracking().Where(a => a.ConsumerId == webhookId), page, Properties,
            q => q.OrderByDescending(a => a.AttemptedAt).ThenByDescending(a => a.Id),
            a => new WebhookAttemptResponse(a.Id, a.AttemptedAt, a.EventId, a.EventType, "msg_" + a.EventId.ToString("N"), a.StatusCode, a.DurationMs, a.Succeeded, a.Error),
            request, ct);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : new CodatError(result.Error!);
    }

    /// <summary>HTTP over <see cref="RecoverDeliveries"/>: 202 with how many deliveries were queued again.</summary>
    public static async Task<Results<Accepted<RecoverResponse>, CodatError>> Recover(
        Guid webhookId, RecoverRequest? body, ConsentryDbContext db, TimeProvider time, CancellationToken ct)
    {
        var recovered = await RecoverDeliveries.RecoverAsync(webhookId, body?.Since, db, time, ct);
        return recovered.IsSuccess
            ? TypedResults.Accepted($"/webhooks/{webhookId}/attempts", new RecoverResponse(recovered.Value))
            : new CodatError(recovered.Error!);
    }
}
