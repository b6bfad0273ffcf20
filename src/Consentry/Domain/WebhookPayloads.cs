namespace Consentry.Domain;

/// <summary>Codat's event envelope.</summary>
public sealed record WebhookEnvelope<T>(Guid Id, string EventType, DateTime GeneratedDate, T Payload);

/// <summary>Codat's <c>companyReference</c> inside connection events.</summary>
public sealed record CompanyReference(Guid Id, string Name, string? Description, CompanyLinks Links, IReadOnlyDictionary<string, string>? Tags);

public sealed record CompanyLinks(string Portal);

public sealed record ConnectionWebhookPayload(CompanyReference ReferenceCompany, ConnectionResponse Connection);

/// <summary>Codat's <c>company.product.added</c> / <c>.removed</c> payload.</summary>
public sealed record ProductWebhookPayload(Guid Id, string Name, string? Description, string ProductId, string ProductName, IReadOnlyList<string> Products);

/// <summary><c>connection.consent.expiring</c>: the connection and when its consent at the platform ends.</summary>
public sealed record ConsentExpiringPayload(CompanyReference ReferenceCompany, ConnectionResponse Connection, DateTime ConsentExpiresAt);

/// <summary>Codat's <c>readCompletedWebhookPayload</c>.</summary>
public sealed record ReadCompletedPayload(CompanyReference ReferenceCompany, DateTime? ModifiedFromDate, IReadOnlyList<DataTypeReadSummary> DataTypes);

/// <summary>Codat's <c>dataTypeReadSummary</c>: one dataset of the read.</summary>
public sealed record DataTypeReadSummary(Guid ConnectionId, string DataType, bool RecordsModified, string Status, IReadOnlyList<object> Issues);

/// <summary>Codat's <c>companyDetails</c>: a company without its connections.</summary>
public sealed record CompanyDetails(
    Guid Id, string Name, string? Description, string Redirect, DateTime? LastSync, DateTime Created, IReadOnlyDictionary<string, string>? Tags);
