using System.ComponentModel.DataAnnotations;

namespace Consentry.Infrastructure.Idempotency;

/// <summary>The <c>Consentry:Idempotency</c> section.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Consentry:Idempotency";

    /// <summary>How long a key is remembered (and its response replayed), in hours.</summary>
    [Range(1, 24 * 30)]
    public int RetentionHours { get; set; } = 24;

    /// <summary>
    /// How long a request may hold a key before a retry may take it over, in seconds: long enough for the slowest create,
    /// short enough that a retry after a crash does not wait long.
    /// </summary>
    [Range(5, 3600)]
    public int InFlightLeaseSeconds { get; set; } = 120;

    /// <summary>How often expired keys are deleted, in minutes.</summary>
    [Range(1, 24 * 60)]
    public int CleanupIntervalMinutes { get; set; } = 15;

    public bool RunCleanup { get; set; } = true;
}
