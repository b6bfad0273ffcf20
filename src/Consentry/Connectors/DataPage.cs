using Consentry.Connectors.Data;

namespace Consentry.Connectors;

/// <summary>What one read of a platform's data API came back with.</summary>
public abstract record DataPage
{
    /// <summary>
    /// Records in Codat's shape, the platform's total when it tells (for progress), and where the next page starts
    /// (null: this was the last page).
    /// </summary>
    public sealed record Ok(IReadOnlyList<MappedRecord> Records, int? TotalResults, string? NextCursor) : DataPage
    {
        /// <summary>
        /// On the last page: where the next incremental read starts (a vendor's sync cursor, Plaid's <c>next_cursor</c>),
        /// kept with the completed read and handed back as the next read's first <see cref="DataRequest.Cursor"/>.
        /// </summary>
        public string? ResumeCursor { get; init; }
    }

    /// <summary>401: the access token is no longer good (expired or revoked); the caller refreshes once and asks again.</summary>
    public sealed record Unauthorized(string Detail) : DataPage;

    /// <summary>
    /// The grant or the account is gone for good (the customer disconnected the organisation, the consent expired):
    /// the connection becomes Deauthorized and the app is told (<c>connection.disconnected</c>).
    /// </summary>
    public sealed record Deauthorized(string Detail, bool ConsentExpired) : DataPage;

    /// <summary>403: the grant does not allow this data type (scope).</summary>
    public sealed record Forbidden(string Error, string Detail) : DataPage;

    /// <summary>429: wait <see cref="RetryAfter"/> before asking again.</summary>
    public sealed record RateLimited(TimeSpan RetryAfter) : DataPage;

    /// <summary>Anything else: a 5xx, a timeout, a refused connection, or an answer we cannot read.</summary>
    public sealed record Failed(string Detail, bool Transient) : DataPage;

    /// <summary>A short description of a problem, for a log line or a reason shown with a failed link.</summary>
    public string Describe() => this switch
    {
        Unauthorized u => u.Detail,
        Deauthorized d => d.Detail,
        Forbidden f => $"{f.Error}: {f.Detail}",
        RateLimited => "rate limited",
        Failed f => f.Detail,
        _ => GetType().Name,
    };
}
