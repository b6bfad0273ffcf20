using System.ComponentModel.DataAnnotations;

namespace Consentry.Features.Sync;

/// <summary>The sync engine's settings (<c>Consentry:Sync</c>), validated at start.</summary>
public sealed class SyncOptions
{
    public const string Section = "Consentry:Sync";

    /// <summary>Run the read worker and the scheduler in this process (every instance may; they share work through leases).</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>Datasets this instance reads at once.</summary>
    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Records asked for per page (the sandbox allows up to 500).</summary>
    [Range(1, 5000)]
    public int PageSize { get; set; } = 500;

    /// <summary>
    /// Pages of one dataset asked for at once, ahead of the page being stored, when the platform's cursors are page numbers
    /// (<see cref="Connectors.IPlatformConnector.CursorAhead"/>): one large data type is then fetched and mapped by several
    /// workers while pages are still stored one at a time, in order. Other platforms get one page ahead. Never more than
    /// the pages the platform said are left.
    /// </summary>
    [Range(1, 32)]
    public int PagesAhead { get; set; } = 4;

    /// <summary>
    /// Pages of one read stored in one transaction when they have already arrived (never waited for): one commit and one
    /// progress update for all of them. A page's commit is a large part of its cost on SQLite, and pages written together
    /// share the record-id index's leaves in the log. A read resumes after the last transaction that committed, and the
    /// database's writer is held that much longer. 1: every page alone.
    /// </summary>
    [Range(1, 16)]
    public int PagesPerTransaction { get; set; } = 4;

    /// <summary>
    /// SQLite only: the page cache, in MiB, of a read's database connection while the read runs, instead of SQLite's
    /// 2 MiB (back to 2 MiB when it ends). Each record's upsert finds its place in the index of record ids, which for a
    /// large data type outgrows 2 MiB, so every page read the index from the file again (docs/benchmarks.md, "Sync,
    /// round 4"). Taken as pages are touched, at most this much per read running. 0: SQLite's default.
    /// </summary>
    [Range(0, 1024)]
    public int SqliteCacheMiB { get; set; } = 16;

    /// <summary>How often an idle worker looks for work queued by other instances, and for due schedules.</summary>
    [Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>
    /// How long a claim lasts without renewal. A heartbeat renews every claim of the instance every third of this (one
    /// statement for all of them) while the reads run, so a dead instance's reads resume elsewhere within this (plus a poll).
    /// </summary>
    [Range(2, 3600)]
    public int LeaseSeconds { get; set; } = 5;

    /// <summary>Retries of a page after a transient failure (5xx, timeout, unreachable) before the dataset fails.</summary>
    [Range(0, 10)]
    public int TransientRetries { get; set; } = 3;

    /// <summary>Longest Retry-After waited for in place; a longer one puts the dataset back in the queue until then.</summary>
    [Range(0, 3600)]
    public int MaxInlineRetryAfterSeconds { get; set; } = 30;

    /// <summary>
    /// Days after which a data type is read in full again instead of incrementally. A complete full read marks what it
    /// did not find as deleted (<c>metadata.isDeleted</c>), which is how deletions reach the cache from platforms whose
    /// incremental reads cannot report them. 0: only the first read is full.
    /// </summary>
    [Range(0, 3650)]
    public int FullReadDays { get; set; } = 7;

    /// <summary>Rate-limit waits after which a dataset ends as RateLimitError.</summary>
    [Range(1, 1000)]
    public int MaxRateLimitWaits { get; set; } = 20;
}
