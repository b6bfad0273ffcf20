using System.Text.Json.Serialization;

namespace Consentry.Domain;

/// <summary>
/// The flat body of Codat's legacy events (codat-docs-Webhooks.json: <c>DataSyncCompletedWebhook</c>,
/// <c>DatasetDataChangedWebhook</c>, <c>ConnectionStatusChangedWebhook</c>…), sent as is, without the
/// <c>{id, eventType, payload}</c> envelope. Its top-level names are PascalCase, as Codat's are; <c>Data</c>'s are camelCase.
/// </summary>
public sealed record LegacyWebhookBody(
    [property: JsonPropertyName("ClientId")] Guid ClientId,
    [property: JsonPropertyName("ClientName")] string ClientName,
    [property: JsonPropertyName("CompanyId")] Guid CompanyId,
    [property: JsonPropertyName("DataConnectionId")] Guid? DataConnectionId,
    [property: JsonPropertyName("RuleId")] Guid RuleId,
    [property: JsonPropertyName("RuleType")] string RuleType,
    [property: JsonPropertyName("AlertId")] Guid AlertId,
    [property: JsonPropertyName("Message")] string Message,
    [property: JsonPropertyName("Data")] object? Data);

/// <summary><c>DataConnectionStatusChanged</c>'s data.</summary>
public sealed record LegacyConnectionStatusData(Guid DataConnectionId, string NewStatus, string OldStatus, string PlatformKey);

/// <summary><c>DataSyncCompleted</c>'s and <c>DatasetDataChanged</c>'s data.</summary>
public sealed record LegacyDatasetData(string DataType, Guid DatasetId);

/// <summary><c>DataSyncStatusChangedToError</c>'s data.</summary>
public sealed record LegacyDatasetErrorData(string DataType, string DatasetStatus, Guid DatasetId);
