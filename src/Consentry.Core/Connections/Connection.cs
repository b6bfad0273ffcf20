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
