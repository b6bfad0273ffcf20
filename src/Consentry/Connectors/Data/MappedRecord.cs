namespace Consentry.Connectors.Data;

/// <summary>
/// A platform record in Codat's shape: its id, the platform's own modified date (the watermark of incremental reads),
/// and the JSON the API serves. Every connector's mapping produces these; the sync engine stores them as they are.
/// A <see cref="Tombstone"/> says only that the record was deleted at the platform (QuickBooks' Change Data Capture gives
/// no more): the stored record is kept and marked <c>metadata.isDeleted</c>, and one never stored is not added.
/// </summary>
public sealed record MappedRecord(string Id, DateTime? SourceModifiedDate, string Json, bool Tombstone = false)
{
    /// <summary>
    /// The platform's own record as it came (JSON), when the connector keeps it: supplemental data picks the client's
    /// extra fields from it. Never stored.
    /// </summary>
    public string? Source { get; init; }
}
