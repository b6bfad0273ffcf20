using System.Text.Json;
using Consentry.Core.Companies;
using Consentry.Core.Connections;
using Consentry.Core.Persistence;
using Consentry.Core.Tenancy;
using Consentry.Core.Webhooks;
using Consentry.Features.Companies;
using Consentry.Features.Connections;
using Consentry.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Webhooks;

/// <summary>
/// Puts events in the outbox: adds the event and one delivery per interested consumer to the DbContext, so they
/// commit in the same <c>SaveChanges</c> (one transaction) as the change they describe. Nothing is sent from here.
/// An event no consumer wants is not stored.
/// </summary>
public sealed class WebhookEvents(ConsentryDbContext db, ITenantContext tenant, PublicUrls urls, TimeProvider time)
{
    private List<WebhookConsumer>? _consumers;

    public Task CompanyAsync(string eventType, Company company, CancellationToken ct) =>
        PublishAsync(eventType, company, Details(company), ct);

    public Task ConnectionAsync(string eventType, Company company, Connection connection, CancellationToken ct) =>
        PublishAsync(eventType, company, new ConnectionWebhookPayload(Reference(company), connection.ToResponse(urls)), ct);

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

    /// <summary><c>read.completed</c> (or <c>.initial</c>) for the datasets of one read.</summary>
    public Task ReadCompletedAsync(string eventType, Company company, IReadOnlyList<Core.Sync.Dataset> datasets, CancellationToken ct) =>
        PublishAsync(eventType, company, new ReadCompletedPayload(
            Reference(company),
            datasets.Min(d => d.ModifiedSince),
            [.. datasets.Select(d => new DataTypeReadSummary(d.ConnectionId, d.DataType, d.RecordsRead > 0, d.Status.ToString(), []))]), ct);

    private async Task PublishAsync<T>(string eventType, Company company, T payload, CancellationToken ct)
    {
        var clientId = tenant.ClientId ?? company.ClientId;
        _consumers ??= await db.WebhookConsumers.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.ClientId == clientId && !c.Disabled).ToListAsync(ct);
        var tags = company.Tags.Select(t => $"{t.Key}:{t.Value}").ToList();
        var wanted = _consumers.Where(c => c.Wants(eventType, tags)).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var id = Guid.CreateVersion7();
        var webhookEvent = new WebhookEvent
        {
            Id = id,
            ClientId = clientId,
            EventType = eventType,
            CompanyId = company.Id,
            GeneratedDate = now,
            TraceParent = Infrastructure.Observability.ConsentryTracing.CurrentParent(),
            Body = JsonSerializer.Serialize(new WebhookEnvelope<T>(id, eventType, now, payload), ApiJson.Options),
        };
        db.WebhookEvents.Add(webhookEvent);
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
