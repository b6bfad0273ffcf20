using Consentry.Infrastructure.Idempotency;

namespace Consentry.Features.Webhooks;

/// <summary>Codat's webhook consumer endpoints and our extensions (secret, rotation, attempts, recovery, event types).</summary>
public static class WebhooksEndpoints
{
    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks");
        webhooks.MapGet("/", WebhookConsumerEndpoints.List).WithName("list-webhook-consumers");
        webhooks.MapPost("/", WebhookConsumerEndpoints.Create).WithName("create-webhook-consumer").WithIdempotency();
        webhooks.MapDelete("/{webhookId:guid}", WebhookConsumerEndpoints.Delete).WithName("delete-webhook-consumer");
        webhooks.MapPost("/integrationKeys/zapier", ZapierKey.Rotate).WithName("rotate-zapier-key");
        webhooks.MapGet("/eventTypes", WebhookConsumerEndpoints.EventTypes).WithName("list-webhook-event-types");
        webhooks.MapGet("/{webhookId:guid}/secret", WebhookSecretEndpoints.Get).WithName("get-webhook-secret");
        webhooks.MapPost("/{webhookId:guid}/secret/rotate", WebhookSecretEndpoints.Rotate).WithName("rotate-webhook-secret");
        webhooks.MapGet("/{webhookId:guid}/attempts", WebhookAttemptEndpoints.List).WithName("list-webhook-attempts");
        webhooks.MapPost("/{webhookId:guid}/recover", WebhookAttemptEndpoints.Recover).WithName("recover-webhook-messages");
        return api;
    }
}
