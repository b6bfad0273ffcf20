using Consentry.Core.Connections;
using Consentry.Core.Tenancy;

namespace Consentry.Core.Link;

/// <summary>The steps of the Link journey that monitoring counts.</summary>
public enum JourneyStep
{
    Opened,
    ConsentViewed,
    IntegrationSelected,
    OAuthStarted,
    Authorized,
    Failed,
    FileUploaded,
    CategorySkipped,
    Completed,
}

/// <summary>One step a customer took in the Link journey. Append-only: rows are inserted, never changed.</summary>
public sealed class JourneyEvent : IClientOwned
{
    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid CompanyId { get; set; }

    public Guid? ConnectionId { get; set; }

    public JourneyStep Step { get; set; }

    public SourceType? SourceType { get; set; }

    public string? PlatformKey { get; set; }

    /// <summary>Why it failed (cancelled, token_exchange_failed, state_mismatch…), or other detail.</summary>
    public string? Detail { get; set; }

    public DateTime At { get; set; }

    /// <summary>The experiment variant the company was shown (see <see cref="Experiment"/>), when one was running.</summary>
    public Guid? VariantId { get; set; }
}
