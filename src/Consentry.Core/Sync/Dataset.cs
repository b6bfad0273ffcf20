using Consentry.Core.Tenancy;

namespace Consentry.Core.Sync;

/// <summary>
/// Codat's dataset (a pull operation): one read of one data type from one connection. It is claimed by a worker with a
/// lease, remembers the page it reached so a read interrupted by a crash resumes there, and ends in a terminal status.
/// </summary>
public sealed class Dataset : IClientOwned
{
    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid CompanyId { get; set; }

    public Guid ConnectionId { get; set; }

    /// <summary>The read this dataset belongs to: <c>read.completed</c> is sent when all of its datasets have ended.</summary>
    public Guid ReadId { get; set; }

    public required string DataType { get; set; }

    public DatasetStatus Status { get; set; }

    public string? StatusDescription { get; set; }

    public string? ErrorMessage { get; set; }

    public DateTime Requested { get; set; }

    public DateTime? Started { get; set; }

    public DateTime? Completed { get; set; }

    /// <summary>0–100.</summary>
    public int Progress { get; set; }

    /// <summary>The first read of this data type from this connection (a full read, no <c>modifiedSince</c>).</summary>
    public bool IsInitial { get; set; }

    /// <summary>The <c>modifiedSince</c> this read asks the platform for; null for a full read.</summary>
    public DateTime? ModifiedSince { get; set; }

    /// <summary>
    /// The lower date bound of this read from the sync settings (<c>syncFromUtc</c>, <c>syncFromWindow</c>, and
    /// <c>monthsToSync</c> for reports), fixed when the read starts: records the platform last modified before it are not read.
    /// </summary>
    public DateTime? SyncFrom { get; set; }

    /// <summary>The W3C <c>traceparent</c> of the activity that queued this read (the Link callback's): the read continues that trace.</summary>
    public string? TraceParent { get; set; }

    /// <summary>The next page to read (from 1); saved with each page's records, in the same transaction.</summary>
    public int NextPage { get; set; } = 1;

    /// <summary>Where the connector starts the next page (its own cursor: a page number, an offset, a token); null for the first.</summary>
    public string? Cursor { get; set; }

    public int RecordsRead { get; set; }

    public int? TotalRecords { get; set; }

    /// <summary>Due time: a rate-limited read waits until then before a worker claims it again.</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>How many times the read had to wait for the platform's rate limit.</summary>
    public int RateLimitWaits { get; set; }

    public string? LeaseOwner { get; set; }

    /// <summary>The instance that ended the read (for operators, and to show that instances share the work).</summary>
    public string? Worker { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }

    public bool IsActive => Status is DatasetStatus.Queued or DatasetStatus.Fetching;

    public bool IsSuccessful => Status == DatasetStatus.Complete;

    public bool IsErrored => Status is DatasetStatus.FetchError or DatasetStatus.AuthError or DatasetStatus.RateLimitError
        or DatasetStatus.InternalError or DatasetStatus.PermissionsError or DatasetStatus.NotSupported or DatasetStatus.Cancelled;
}

/// <summary>Codat's DatasetStatus (the closed enum the official SDKs parse).</summary>
public enum DatasetStatus
{
    Initial,
    Queued,
    Fetching,
    MapQueued,
    Mapping,
    Complete,
    FetchError,
    MapError,
    InternalError,
    ProcessingQueued,
    Processing,
    ProcessingError,
    ValidationQueued,
    Validating,
    ValidationError,
    AuthError,
    Cancelled,
    NotSupported,
    RateLimitError,
    PermissionsError,
    PrerequisiteNotMet,
}
