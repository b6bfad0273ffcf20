using Consentry.Core.Tenancy;

namespace Consentry.Core.Sync;

/// <summary>
/// The sync state of one data type of one connection: when it is next read (any instance may queue it, claiming the
/// row), the watermark for incremental reads, and the latest datasets (what <c>dataStatus</c> shows).
/// </summary>
public sealed class SyncSchedule : IClientOwned
{
    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid CompanyId { get; set; }

    public Guid ConnectionId { get; set; }

    public required string DataType { get; set; }

    /// <summary>Hours between reads (the sync setting's <c>syncSchedule</c> when it was queued).</summary>
    public int IntervalHours { get; set; }

    public DateTime NextSyncAt { get; set; }

    /// <summary>When the last complete read began, to whole seconds: the next read asks for records modified since.</summary>
    public DateTime? Watermark { get; set; }

    public DateTime? LastSuccessfulSync { get; set; }

    public Guid? LatestDatasetId { get; set; }

    public Guid? LatestSuccessfulDatasetId { get; set; }
}
