namespace Consentry.Core.Webhooks;

/// <summary>The event types Consentry emits (Codat's names), with what each means.</summary>
public static class WebhookEventTypes
{
    public const string CompanyCreated = "company.created";
    public const string CompanyDeleted = "company.deleted";
    public const string ConnectionCreated = "connection.created";
    public const string ConnectionConnected = "connection.connected";
    public const string ConnectionFailed = "connection.failed";
    public const string ConnectionDisconnected = "connection.disconnected";
    public const string ConnectionReconnected = "connection.reconnected";
    public const string ConnectionDeleted = "connection.deleted";
    public const string CompanyProductAdded = "company.product.added";
    public const string CompanyProductRemoved = "company.product.removed";
    public const string ConnectionConsentExpiring = "connection.consent.expiring";
    public const string ReadCompleted = "read.completed";
    public const string ReadCompletedInitial = "read.completed.initial";

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [CompanyCreated] = "A company was created.",
        [CompanyDeleted] = "A company was deleted, with its connections and data.",
        [ConnectionCreated] = "A connection was created (PendingAuth): the customer chose a platform.",
        [ConnectionConnected] = "A connection was authorized and is now Linked.",
        [ConnectionFailed] = "Authorizing a connection failed.",
        [ConnectionDisconnected] = "A connection was unlinked by the app, or deauthorized by the customer or the platform.",
        [ConnectionReconnected] = "A disconnected connection was authorized again.",
        [ConnectionDeleted] = "A connection was deleted.",
        [CompanyProductAdded] = "A product was added to a company.",
        [CompanyProductRemoved] = "A product was removed from a company; its consents were revoked.",
        [ConnectionConsentExpiring] = "A connection's consent at the platform ends soon (Consentry's own event): ask the customer to re-consent.",
        [ReadCompleted] = "A read of a company's data types finished.",
        [ReadCompletedInitial] = "The first read of a company's data types after linking finished.",
    };

    public static bool IsKnown(string eventType) => All.ContainsKey(eventType) || Legacy.ContainsKey(eventType);

    // Codat's older event names, still in its documents (codat-docs-Webhooks.json) and in apps written against them.
    // They are delivered in their own flat shape (ClientId, CompanyId, RuleType, AlertId, Message, Data), not the envelope.
    public const string DataConnectionStatusChanged = "DataConnectionStatusChanged";
    public const string DataSyncCompleted = "DataSyncCompleted";
    public const string DatasetDataChanged = "DatasetDataChanged";
    public const string DataSyncStatusChangedToError = "DataSyncStatusChangedToError";
    public const string NewCompanySynchronized = "NewCompanySynchronized";

    /// <summary>The legacy event types Consentry emits, with their <c>RuleType</c> (as Codat's examples spell it) and meaning.</summary>
    public static readonly IReadOnlyDictionary<string, (string RuleType, string Description)> Legacy =
        new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            [DataConnectionStatusChanged] = ("DataConnectionStatusChanged",
                "Codat's legacy event: a connection's status changed (linked, relinked, unlinked or deauthorized). Prefer connection.*."),
            [DataSyncCompleted] = ("Data sync completed", "Codat's legacy event: one data type of a read completed. Prefer read.completed."),
            [DatasetDataChanged] = ("Dataset data changed",
                "Codat's legacy event: one data type of a read completed with new or changed records. Prefer read.completed."),
            [DataSyncStatusChangedToError] = ("Data Sync Status Changed To Error",
                "Codat's legacy event: one data type of a read ended in an error status. Prefer read.completed."),
            [NewCompanySynchronized] = ("New company synchronized",
                "Codat's legacy event: the first read after linking completed with at least one data type. Prefer read.completed.initial."),
        };

    /// <summary>Codat's legacy names Consentry never emits (push, expenses, commerce sync, categories, rate limits).</summary>
    public static readonly IReadOnlySet<string> LegacyNeverEmitted = new HashSet<string>(StringComparer.Ordinal)
    {
        "PushOperationStatusChanged", "PushOperationTimedOut", "AccountCategoriesUpdated", "SyncConnectionDeleted",
        "SyncCompleted", "SyncFailed", "ClientRateLimitReached", "ClientRateLimitReset",
    };

    /// <summary>
    /// The event type a consumer asked for, in its canonical spelling: a legacy type may also be given by its rule type
    /// (Codat's own request example subscribes to "Dataset data changed" and answers "DatasetDataChanged").
    /// </summary>
    public static string Canonical(string eventType) =>
        Legacy.FirstOrDefault(l => string.Equals(l.Value.RuleType, eventType, StringComparison.OrdinalIgnoreCase)) is { Key: { } key } ? key : eventType;
}
