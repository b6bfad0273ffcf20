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

    public static bool IsKnown(string eventType) => All.ContainsKey(eventType);
}
