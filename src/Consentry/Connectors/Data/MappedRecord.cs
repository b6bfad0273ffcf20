namespace Consentry.Connectors.Data;

/// <summary>
/// A platform record in Codat's shape: its id, the platform's own modified date (the watermark of incremental reads),
/// and the JSON the API serves. Every connector's mapping produces these; the sync engine stores them as they are.
/// </summary>
public sealed record MappedRecord(string Id, DateTime? SourceModifiedDate, string Json);
