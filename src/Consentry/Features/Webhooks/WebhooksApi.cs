using Consentry.Infrastructure.Idempotency;

namespace Consentry.Features.Webhooks;

/// <summary>Codat's webhook consumer endpoints and our extensions (secret, rotation, attempts, recovery, event types).</summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks");
        webhooks.MapGet("/", WebhookConsumers.List).WithName("list-webhook-consumers");
        webhooks.MapPost("/", WebhookConsumers.Create).WithName("create-webhook-consumer").WithIdempotency();
        webhooks.MapDelete("/{webhookId:guid}", WebhookConsumers.Delete).WithName("delete-webhook-consumer");
        webhooks.MapPost("/integrationKeys/zapier", ZapierKey.Rotate).WithName("rotate-zapier-key");
        webhooks.MapGet("/eventTypes", WebhookConsumers.EventTypes).WithName("list-webhook-event-types");
        webhooks.MapGet("/{webhookId:guid}/secret", WebhookSecrets.Get).WithName("get-webhook-secret");
        webhooks.MapPost("/{webhookId:guid}/secret/rotate", WebhookSecrets.Rotate).WithName("rotate-webhook-secret");
        webhooks.MapGet("/{webhookId:guid}/attempts", WebhookAttempts.List).WithName("list-webhook-attempts");
        webhooks.MapPost("/{webhookId:guid}/recover", WebhookAttempts.Recover).WithName("recover-webhook-messages");
        return api;
    }
}
