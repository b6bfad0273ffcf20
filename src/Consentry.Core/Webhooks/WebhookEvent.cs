using Consentry.Core.Tenancy;

namespace Consentry.Core.Webhooks;

/// <summary>
/// An event in the outbox: written in the same transaction as the change it describes, with one
/// <see cref="WebhookDelivery"/> per consumer that wants it. Never changed afterwards.
/// </summary>
public sealed class WebhookEvent : IClientOwned
{
    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public required string EventType { get; set; }

    public Guid? CompanyId { get; set; }

    /// <summary>The exact JSON body sent (Codat's envelope), so every attempt and every consumer sends the same bytes.</summary>
    public required string Body { get; set; }

    public DateTime GeneratedDate { get; set; }

    /// <summary>The W3C <c>traceparent</c> of the activity that raised the event: each delivery continues that trace.</summary>
    public string? TraceParent { get; set; }

    /// <summary>The Standard Webhooks message id: the same for every attempt of this event.</summary>
    public string MessageId => "msg_" + Id.ToString("N");
}

public enum DeliveryStatus
{
    Pending,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>One event on its way to one consumer. Workers claim it with a lease; retries follow the schedule.</summary>
public sealed class WebhookDelivery : IClientOwned
{
    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid EventId { get; set; }

    public Guid ConsumerId { get; set; }

    public DeliveryStatus Status { get; set; }

    public int AttemptCount { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }

    public DateTime Created { get; set; }

    public DateTime? CompletedAt { get; set; }
}

/// <summary>One HTTP attempt of a delivery, append-only, for <c>GET /webhooks/{id}/attempts</c>.</summary>
public sealed class WebhookAttempt : IClientOwned
{
    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid ConsumerId { get; set; }

    public Guid DeliveryId { get; set; }

    public Guid EventId { get; set; }

    public required string EventType { get; set; }

    public DateTime AttemptedAt { get; set; }

    public int? StatusCode { get; set; }

    public int DurationMs { get; set; }

    public string? Error { get; set; }

    public bool Succeeded { get; set; }

    /// <summary>The instance that made the attempt, so operators can see how work spreads across nodes.</summary>
    public string? Worker { get; set; }
}
