using Consentry.Core.Errors;
using Consentry.Core.Tenancy;

namespace Consentry.Core.Connections;

/// <summary>Codat's data connection: a company's link to one platform.</summary>
public sealed class Connection : IClientOwned
{
    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid CompanyId { get; set; }

    /// <summary>The 4-letter platform key of the integration (e.g. <c>gbol</c>).</summary>
    public required string PlatformKey { get; set; }

    public Guid IntegrationId { get; set; }

    public Guid SourceId { get; set; }

    public SourceType SourceType { get; set; }

    public required string PlatformName { get; set; }

    /// <summary>Changed only through <see cref="MoveTo"/>, which refuses a change the lifecycle does not allow.</summary>
    public ConnectionStatus Status { get; private set; }

    public DateTime Created { get; set; }

    public DateTime? LastSync { get; set; }

    /// <summary>When the platform consent ends (Open Banking style platforms), if it does.</summary>
    public DateTime? ConsentExpiresAt { get; set; }

    /// <summary>When <c>connection.consent.expiring</c> was sent for the current <see cref="ConsentExpiresAt"/>.</summary>
    public DateTime? ConsentExpiryWarnedAt { get; set; }

    /// <summary>Codat's <c>dataConnectionErrors</c>: what went wrong linking or reading, newest last.</summary>
    public List<ConnectionError> Errors { get; set; } = [];

    /// <summary>
    /// The status changes a connection's life allows: linking (first time, re-authorizing a Linked one, re-consenting an
    /// Unlinked or Deauthorized one), unlinking and deauthorizing a Linked one. Failing and deleting change no status.
    /// </summary>
    public static bool CanMove(ConnectionStatus from, ConnectionStatus to) => (from, to) switch
    {
        (_, ConnectionStatus.Linked) => true,
        (ConnectionStatus.Linked, ConnectionStatus.Unlinked or ConnectionStatus.Deauthorized) => true,
        _ => false,
    };

    public bool CanMoveTo(ConnectionStatus to) => CanMove(Status, to);

    /// <summary>Changes the status, or throws <see cref="ConnectionTransitionException"/> for a change the lifecycle does not allow.</summary>
    public void MoveTo(ConnectionStatus to)
    {
        if (!CanMoveTo(to))
        {
            throw new ConnectionTransitionException(Status, to);
        }

        Status = to;
    }

    /// <summary>Records a failure; earlier active errors are resolved by a later success (<see cref="ResolveErrors"/>).</summary>
    public void AddError(string statusCode, string statusText, string errorMessage, DateTime at)
    {
        Errors.Add(new ConnectionError
        {
            StatusCode = statusCode, StatusText = statusText, ErrorMessage = errorMessage, ErroredOnUtc = at, Status = "Active",
        });
        if (Errors.Count > 20)
        {
            Errors.RemoveAt(0);
        }
    }

    public void ResolveErrors(DateTime at)
    {
        foreach (var error in Errors.Where(e => e.Status == "Active"))
        {
            error.Status = "Resolved";
            error.ResolvedOnUtc = at;
        }
    }
}

/// <summary>A status change <see cref="Connection.CanMove"/> does not allow: a caller that did not check first.</summary>
public sealed class ConnectionTransitionException(ConnectionStatus from, ConnectionStatus to)
    : InvalidOperationException($"A {from} connection cannot become {to}.")
{
    public ConnectionStatus From { get; } = from;

    public ConnectionStatus To { get; } = to;

    /// <summary>The expected-failure value for callers that answer with it (a 400, as Codat does for an unlinkable status).</summary>
    public Error Error => Error.Validation(Message);
}

/// <summary>Codat's <c>dataConnectionError</c>.</summary>
public sealed class ConnectionError
{
    public string? StatusCode { get; set; }

    public string? StatusText { get; set; }

    public string? ErrorMessage { get; set; }

    public DateTime ErroredOnUtc { get; set; }

    /// <summary><c>Active</c> or <c>Resolved</c>.</summary>
    public string? Status { get; set; }

    public DateTime? ResolvedOnUtc { get; set; }
}

/// <summary>Codat's DataConnectionStatus.</summary>
public enum ConnectionStatus
{
    PendingAuth,
    Linked,
    Unlinked,
    Deauthorized,
}

/// <summary>Codat's SourceType.</summary>
public enum SourceType
{
    Accounting,
    Banking,
    BankFeed,
    Commerce,
    Expense,
    Other,
    Unknown,
}
