using Consentry.Core.Webhooks;

namespace Consentry.Features.Webhooks;

/// <summary>Codat's <c>WebhookConsumer</c>.</summary>
public sealed record WebhookConsumerResponse(Guid Id, string Url, bool Disabled, IReadOnlyList<string> EventTypes, IReadOnlyList<string> CompanyTags)
{
    public static WebhookConsumerResponse From(WebhookConsumer c) => new(c.Id, c.Url, c.Disabled, c.EventTypes, c.CompanyTags);
}

/// <summary>Codat's <c>webhookConsumerPrototype</c>.</summary>
public sealed record WebhookConsumerRequest(string? Url, bool? Disabled, List<string>? EventTypes, List<string>? CompanyTags);

public sealed record WebhookSecretResponse(string Key);

public sealed record WebhookAttemptResponse(
    Guid Id, DateTime Timestamp, Guid EventId, string EventType, string MessageId, int? StatusCode, int DurationMs, bool Succeeded, string? Error);

public sealed record RecoverRequest(DateTime? Since);

public sealed record RecoverResponse(int Recovered);

public sealed record EventTypeResponse(string EventType, string Description);
