using Consentry.Core.Tenancy;

namespace Consentry.Core.Sync;

/// <summary>
/// One record read from a platform, in Codat's shape, as JSON. Unique per connection, data type and the platform's
/// record id, so a re-read (or a read resumed after a crash) updates rather than duplicates.
/// </summary>
public sealed class CachedRecord : IClientOwned
{
    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid CompanyId { get; set; }

    public Guid ConnectionId { get; set; }

    public required string DataType { get; set; }

    public required string RecordId { get; set; }

    public DateTime? ModifiedDate { get; set; }

    public DateTime Updated { get; set; }

    /// <summary>The record as Codat's API shows it (jsonb on PostgreSQL).</summary>
    public required string Data { get; set; }
}
