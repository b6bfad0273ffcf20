using Consentry.Core.Tenancy;

namespace Consentry.Core.Connections;

/// <summary>Codat's data connection: a company's link to one platform.</summary>
public sealed class Connection : ITenantOwned
{
    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid CompanyId { get; set; }

    /// <summary>The 4-letter platform key of the integration (e.g. <c>gbol</c>).</summary>
    public required string IntegrationKey { get; set; }

    public Guid IntegrationId { get; set; }

    public Guid SourceId { get; set; }

    public SourceType SourceType { get; set; }

    public required string PlatformName { get; set; }

    public ConnectionStatus Status { get; set; }

    public DateTime Created { get; set; }

    public DateTime? LastSync { get; set; }

    /// <summary>When the platform consent ends (Open Banking style platforms), if it does.</summary>
    public DateTime? ConsentExpiresAt { get; set; }

    /// <summary>When <c>connection.consent.expiring</c> was sent for the current <see cref="ConsentExpiresAt"/>.</summary>
    public DateTime? ConsentExpiryWarnedAt { get; set; }

    /// <summary>Codat's <c>dataConnectionErrors</c>: what went wrong linking or reading, newest last.</summary>
    public List<ConnectionError> Errors { get; set; } = [];

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
