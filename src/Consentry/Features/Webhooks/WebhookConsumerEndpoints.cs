using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Core.Webhooks;
using Consentry.Domain;
using Consentry.Features.Webhooks.Delivery;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Webhooks;

/// <summary><c>GET/POST /webhooks</c>, <c>DELETE /webhooks/{webhookId}</c>, <c>GET /webhooks/eventTypes</c>: HTTP over <see cref="ManageWebhookConsumers"/>.</summary>
internal static class WebhookConsumerEndpoints
{
    public static async Task<Ok<ResultList<WebhookConsumerResponse>>> List(ConsentryDbContext db, CancellationToken ct) =>
        TypedResults.Ok(new ResultList<WebhookConsumerResponse>(await ManageWebhookConsumers.ListAsync(db, ct)));

    public static async Task<Results<Created<WebhookConsumerResponse>, CodatError>> Create(
        WebhookConsumerRequest? body, ConsentryDbContext db, NetworkGuard guard, SecretProtector secrets, TimeProvider time, CancellationToken ct)
    {
        var created = await ManageWebhookConsumers.CreateAsync(body, db, guard, secrets, time, ct);
        return created.IsSuccess ? TypedResults.Created($"/webhooks/{created.Value!.Id}", created.Value) : new CodatError(created.Error!);
    }

    public static async Task<Results<NoContent, CodatError>> Delete(
        Guid webhookId, ConsentryDbContext db, CurrentClient current, IClientCache clients, CancellationToken ct) =>
        await ManageWebhookConsumers.DeleteAsync(webhookId, db, current, clients, ct) is { } error ? new CodatError(error) : TypedResults.NoContent();

    public static Ok<ResultList<EventTypeResponse>> EventTypes() =>
        TypedResults.Ok(new ResultList<EventTypeResponse>([
            .. WebhookEventTypes.All.Select(e => new EventTypeResponse(e.Key, e.Value)),
            .. WebhookEventTypes.Legacy.Select(e => new EventTypeResponse(e.Key, e.Value.Description)),
        ]));
}
