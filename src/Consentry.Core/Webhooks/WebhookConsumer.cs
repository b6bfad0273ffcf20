using Consentry.Core.Tenancy;

namespace Consentry.Core.Webhooks;

/// <summary>An endpoint of the client's that receives signed events (Codat's webhook consumer).</summary>
public sealed class WebhookConsumer : IClientOwned
{
    public const int MaxPerClient = 50;
    public const int MaxCompanyTags = 10;
    public const int MaxCompanyTagLength = 128;

    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public required string Url { get; set; }

    /// <summary>The event types delivered; empty means every event type.</summary>
    public List<string> EventTypes { get; set; } = [];

    /// <summary><c>key:value</c> entries; an event is delivered when any of them is a tag of its company. Empty means all.</summary>
    public List<string> CompanyTags { get; set; } = [];

    public bool Disabled { get; set; }

    /// <summary>Why the consumer was switched off by Consentry (410 Gone, failing for days), for the team to see.</summary>
    public string? DisabledReason { get; set; }

    public DateTime? DisabledAt { get; set; }

    /// <summary>When the current run of failures began; cleared by any success.</summary>
    public DateTime? FailingSince { get; set; }

    public DateTime Created { get; set; }

    public List<WebhookSecret> Secrets { get; set; } = [];

    public bool Wants(string eventType, IReadOnlyCollection<string> companyTags) =>
        !Disabled
        && (EventTypes.Count == 0 || EventTypes.Contains(eventType, StringComparer.Ordinal))
        && (CompanyTags.Count == 0 || CompanyTags.Any(t => companyTags.Contains(t, StringComparer.Ordinal)));
}

/// <summary>A signing secret of a consumer, encrypted at rest. After a rotation the old one signs on until it expires.</summary>
public sealed class WebhookSecret : IClientOwned
{
    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid ConsumerId { get; set; }

    /// <summary>The <c>whsec_…</c> secret, protected with Data Protection.</summary>
    public required string ProtectedKey { get; set; }

    public DateTime Created { get; set; }

    /// <summary>Null while current; set to rotation time + 24 h when replaced.</summary>
    public DateTime? ExpiresAt { get; set; }
}
