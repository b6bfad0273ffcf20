using System.Globalization;
using System.Text.Json;
using Consentry.Core.Companies;
using Consentry.Core.Connections;
using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Consentry.Core.Tenancy;
using Consentry.Core.Webhooks;
using Consentry.Features.Webhooks;
using Consentry.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Domain;

/// <summary>
/// Puts events in the outbox: adds the event and one delivery per interested consumer to the DbContext, so they
/// commit in the same <c>SaveChanges</c> (one transaction) as the change they describe. Nothing is sent from here.
/// An event no consumer wants is not stored.
/// </summary>
public sealed class WebhookOutbox(ConsentryDbContext db, IClientContext tenant, PublicUrls urls, TimeProvider time, IClientCache clients)
{
    private static readonly HashSet<DatasetStatus> ErrorStatuses =
    [
        DatasetStatus.FetchError, DatasetStatus.MapError, DatasetStatus.InternalError, DatasetStatus.ProcessingError, DatasetStatus.ValidationError,
        DatasetStatus.AuthError, DatasetStatus.RateLimitError, DatasetStatus.PermissionsError, DatasetStatus.PrerequisiteNotMet,
    ];

    private IReadOnlyList<WebhookConsumer>? _consumers;
    private bool _consumersConfirmed;
    private string? _clientName;

    public Task CompanyAsync(string eventType, Company company, CancellationToken ct) =>
        PublishAsync(eventType, company, Details(company), ct);

    /// <summary>
    /// A connection event. Disconnecting always starts from Linked, and a first link from PendingAuth; a relink says
    /// where it came from through the other overload (for the legacy <c>DataConnectionStatusChanged</c>).
    /// </summary>
    public Task ConnectionAsync(string eventType, Company company, Connection connection, CancellationToken ct) =>
        ConnectionAsync(eventType, company, connection, eventType switch
        {
            WebhookEventTypes.ConnectionDisconnected => ConnectionStatus.Linked,
            WebhookEventTypes.ConnectionConnected => ConnectionStatus.PendingAuth,
            _ => connection.Status,
        }, ct);

    public async Task ConnectionAsync(string eventType, Company company, Connection connection, ConnectionStatus previousStatus, CancellationToken ct)
    {
        await PublishAsync(eventType, company, new ConnectionWebhookPayload(Reference(company), connection.ToResponse(urls)), ct);
        if (eventType is WebhookEventTypes.ConnectionConnected or WebhookEventTypes.ConnectionReconnected or WebhookEventTypes.ConnectionDisconnected
            && previousStatus != connection.Status)
        {
            await PublishLegacyAsync(WebhookEventTypes.DataConnectionStatusChanged, company, connection.Id,
                $"Data connection for {connection.PlatformName} status changed from {previousStatus} to {connection.Status}",
                new LegacyConnectionStatusData(connection.Id, connection.Status.ToString(), previousStatus.ToString(), connection.PlatformKey), ct);
        }
    }

    /// <summary><c>company.product.added</c> / <c>.removed</c> (Codat's payload: the company, the product, and the company's products after the change).</summary>
    public async Task ProductAsync(string eventType, Company company, string productIdentifier, CancellationToken ct)
    {
        var products = await db.CompanyProducts.AsNoTracking().Where(p => p.CompanyId == company.Id).Select(p => p.ProductIdentifier).ToListAsync(ct);
        products = eventType == WebhookEventTypes.CompanyProductRemoved
            ? [.. products.Where(p => p != productIdentifier)]
            : [.. products.Append(productIdentifier).Distinct(StringComparer.Ordinal)];
        var name = await db.Products.AsNoTracking().Where(p => p.Identifier == productIdentifier).Select(p => p.Name).FirstOrDefaultAsync(ct);
        await PublishAsync(eventType, company, new ProductWebhookPayload(
            company.Id, company.Name, string.IsNullOrEmpty(company.Description) ? null : company.Description, productIdentifier,
            name ?? productIdentifier, [.. products.Order(StringComparer.Ordinal)]), ct);
    }

    /// <summary><c>connection.consent.expiring</c> (ours): the connection (Codat's ConnectionWebhook payload) and when its consent ends.</summary>
    public Task ConsentExpiringAsync(Company company, Connection connection, DateTime expiresAt, CancellationToken ct) =>
        PublishAsync(WebhookEventTypes.ConnectionConsentExpiring, company,
            new ConsentExpiringPayload(Reference(company), connection.ToResponse(urls), expiresAt), ct);

    /// <summary>
    /// <c>read.completed</c> (or <c>.initial</c>) for the datasets of one read, and the legacy events Codat raised for
    /// the same moments: per data type <c>DataSyncCompleted</c>, <c>DatasetDataChanged</c> (records read) or
    /// <c>DataSyncStatusChangedToError</c>; <c>NewCompanySynchronized</c> once for a first read with a success.
    /// </summary>
    public async Task ReadCompletedAsync(string eventType, Company company, IReadOnlyList<Dataset> datasets, CancellationToken ct)
    {
        await PublishAsync(eventType, company, new ReadCompletedPayload(
            Reference(company),
            datasets.Min(d => d.ModifiedSince),
            [.. datasets.Select(d => new DataTypeReadSummary(d.ConnectionId, d.DataType, d.RecordsRead > 0, d.Status.ToString(), []))]), ct);
        if (eventType == WebhookEventTypes.ReadCompletedInitial)
        {
            if (datasets.FirstOrDefault(d => d.Status == DatasetStatus.Complete) is { } first)
            {
                await PublishLegacyAsync(WebhookEventTypes.NewCompanySynchronized, company, first.ConnectionId,
                    $"Company {company.Id} synced for the first time", null, ct);
            }

            return;
        }

        foreach (var d in datasets)
        {
            if (d.Status == DatasetStatus.Complete)
            {
                await PublishLegacyAsync(WebhookEventTypes.DataSyncCompleted, company, d.ConnectionId,
                    $"Data sync of type {d.DataType} completed for company {company.Id}", new LegacyDatasetData(d.DataType, d.Id), ct);
                if (d.RecordsRead > 0)
                {
                    await PublishLegacyAsync(WebhookEventTypes.DatasetDataChanged, company, d.ConnectionId,
                        $"Data has changed for dataset type {d.DataType}, company {company.Id}", new LegacyDatasetData(d.DataType, d.Id), ct);
                }
            }
            else if (ErrorStatuses.Contains(d.Status))
            {
                var at = (d.Completed ?? time.GetUtcNow().UtcDateTime).ToString("O", CultureInfo.InvariantCulture);
                await PublishLegacyAsync(WebhookEventTypes.DataSyncStatusChangedToError, company, d.ConnectionId,
                    $"ERROR: syncing {d.DataType} triggered a {d.Status} notification at {at}.",
                    new LegacyDatasetErrorData(d.DataType, d.Status.ToString(), d.Id), ct);
            }
        }
    }

    /// <summary>
    /// A legacy event: Codat's flat body, one event per consumer because its <c>RuleId</c> is the consumer (the
    /// subscription, what Codat called a rule) and its <c>AlertId</c> the event.
    /// </summary>
    private async Task PublishLegacyAsync(string eventType, Company company, Guid? connectionId, string message, object? data, CancellationToken ct)
    {
        var clientId = tenant.ClientId ?? company.ClientId;
        // Only to consumers that name it: "every event type" (an empty list) means the current ones, as at Codat.
        var wanted = (await WantedAsync(clientId, eventType, company, ct)).Where(c => c.EventTypes.Contains(eventType, StringComparer.Ordinal)).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        _clientName ??= (await clients.GetAsync(clientId, ct))?.Name ?? "";
        foreach (var consumer in wanted)
        {
            var id = Guid.CreateVersion7();
            var body = new LegacyWebhookBody(clientId, _clientName, company.Id, connectionId, consumer.Id,
                WebhookEventTypes.Legacy[eventType].RuleType, id, message, data);
            Add(clientId, id, eventType, company, time.GetUtcNow().UtcDateTime, JsonSerializer.Serialize(body, ApiJson.Options), [consumer]);
        }
    }

    private async Task PublishAsync<T>(string eventType, Company company, T payload, CancellationToken ct)
    {
        var clientId = tenant.ClientId ?? company.ClientId;
        var wanted = await WantedAsync(clientId, eventType, company, ct);
        if (wanted.Count == 0)
        {
            return;
        }

        var id = Guid.CreateVersion7();
        var now = time.GetUtcNow().UtcDateTime;
        Add(clientId, id, eventType, company, now, JsonSerializer.Serialize(new WebhookEnvelope<T>(id, eventType, now, payload), ApiJson.Options), wanted);
    }

    private async Task<List<WebhookConsumer>> WantedAsync(Guid clientId, string eventType, Company company, CancellationToken ct)
    {
        var tags = company.Tags.Select(t => $"{t.Key}:{t.Value}").ToList();
        _consumers ??= await clients.EnabledConsumersAsync(clientId, ct);
        if (_consumersConfirmed || !_consumers.Any(c => c.Wants(eventType, tags)))
        {
            // The usual case (no consumer wants it) costs no query. A consumer added on another instance within the
            // cache lifetime is missed, as documented (docs/operations.md#caches-and-cluster-mode).
            return [.. _consumers.Where(c => c.Wants(eventType, tags))];
        }

        // Someone wants it: deliveries must name consumers that exist and are enabled now, and the cached list may be a
        // few seconds old on this instance if another one deleted or disabled a consumer (a delivery for a deleted one
        // would fail the whole save). So the rows come from the database, once per request.
        _consumers = await db.WebhookConsumers.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.ClientId == clientId && !c.Disabled).ToListAsync(ct);
        _consumersConfirmed = true;
        return [.. _consumers.Where(c => c.Wants(eventType, tags))];
    }

    private void Add(Guid clientId, Guid id, string eventType, Company company, DateTime now, string body, List<WebhookConsumer> wanted)
    {
        db.WebhookEvents.Add(new WebhookEvent
        {
            Id = id,
            ClientId = clientId,
            EventType = eventType,
            CompanyId = company.Id,
            GeneratedDate = now,
            TraceParent = Infrastructure.Observability.ConsentryTracing.CurrentParent(),
            Body = body,
        });
        db.WebhookDeliveries.AddRange(wanted.Select(c => new WebhookDelivery
        {
            Id = Guid.CreateVersion7(),
            ClientId = clientId,
            EventId = id,
            ConsumerId = c.Id,
            Status = DeliveryStatus.Pending,
            NextAttemptAt = now,
            Created = now,
        }));
    }

    private CompanyDetails Details(Company c) => new(
        c.Id, c.Name, string.IsNullOrEmpty(c.Description) ? null : c.Description, urls.CompanyLink(c.Id), c.LastSync, c.Created, Tags(c));

    private CompanyReference Reference(Company c) => new(
        c.Id, c.Name, string.IsNullOrEmpty(c.Description) ? null : c.Description,
        new CompanyLinks(urls.Absolute($"/portal/companies/{c.Id}")), Tags(c));

    private static Dictionary<string, string>? Tags(Company c) =>
        c.Tags.Count == 0 ? null : c.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary(t => t.Key, t => t.Value);
}
