using Consentry.Core.Connections;
using Consentry.Core.Consents;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Features.Consents;
using Consentry.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Domain;

/// <summary>Who changed a consent, and from where.</summary>
public sealed record ConsentActorInfo(ConsentActor Actor, string? ActorId, string? IpAddress, string? UserAgent)
{
    public static readonly ConsentActorInfo System = new(ConsentActor.System, null, null, null);

    public static ConsentActorInfo From(HttpContext http, ConsentActor actor, string? actorId = null) => new(
        actor, actorId, http.Connection.RemoteIpAddress?.ToString(),
        http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 500)] : null);
}

/// <summary>
/// What a connection's active consents allow to be read: everything the platform offers (a general consent), or the
/// data types of its products' consents. Without a consent nothing is read (connections linked before the ledger existed
/// got a general consent in its migration).
/// </summary>
public sealed record ConsentCoverage(bool General, IReadOnlySet<string> ProductTypes)
{
    public bool Covers(string dataType) => General || ProductTypes.Contains(dataType);
}

/// <summary>
/// The consent ledger's writer and the gate of reads. Every change appends a <see cref="ConsentRecord"/> and updates the
/// connection's current <see cref="ConnectionConsent"/> in the caller's DbContext, so it commits with the change that
/// caused it (the link, the revoke, the expiry). Reads cover only data types an active consent covers.
/// </summary>
public sealed class ConsentLedger(ConsentryDbContext db, IntegrationCatalogue catalogue, TimeProvider time)
{
    /// <summary>The next sync time of a data type no consent covers: never, until a new consent queues it again.</summary>
    public static readonly DateTime NoConsent = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The products the company uses, in identifier order.</summary>
    public async Task<List<Product>> CompanyProductsAsync(Guid companyId, CancellationToken ct)
    {
        var products = new List<Product>();
        await foreach (var product in ProductsOf.For(db)(db, companyId).WithCancellation(ct))
        {
            products.Add(product);
        }

        return products;
    }

    // Read on the consent page, on Continue and on every link; the current consent on every grant: compiled once per
    // model (no parameter extraction or query-cache look-up per call).
    private static readonly PerModel<Func<ConsentryDbContext, Guid, IAsyncEnumerable<Product>>> ProductsOf = new(() =>
        EF.CompileAsyncQuery<ConsentryDbContext, Guid, Product>((db, companyId) => db.Products.AsNoTracking()
            .Where(p => db.CompanyProducts.Any(cp => cp.CompanyId == companyId && cp.ProductIdentifier == p.Identifier))
            .OrderBy(p => p.Identifier)));

    private static readonly PerModel<Func<ConsentryDbContext, Guid, string, CancellationToken, Task<ConnectionConsent?>>> CurrentConsent = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid connectionId, string product, CancellationToken ct) =>
            db.ConnectionConsents.FirstOrDefault(c => c.ConnectionId == connectionId && c.ProductIdentifier == product)));

    /// <summary>The data types the connection's platform offers.</summary>
    public IReadOnlyList<string> Offered(Connection connection) =>
        catalogue.Find(connection.PlatformKey)?.DataTypes.Select(d => d.DataType).ToList() ?? [];

    /// <summary>What each connection's consents allow; a connection without any consent allows nothing.</summary>
    public async Task<Dictionary<Guid, ConsentCoverage>> CoverageAsync(IReadOnlyCollection<Guid> connectionIds, CancellationToken ct)
    {
        // Tracked: a consent granted in this unit of work (not saved yet) counts, e.g. the link that queues the first reads.
        var rows = await db.ConnectionConsents.Where(c => connectionIds.Contains(c.ConnectionId)).ToListAsync(ct);
        rows.AddRange(db.ConnectionConsents.Local.Where(l => connectionIds.Contains(l.ConnectionId) && !rows.Contains(l)));
        var byConnection = rows.ToLookup(r => r.ConnectionId);
        return connectionIds.Distinct().ToDictionary(id => id, id => Coverage(byConnection[id]));
    }

    /// <summary>What one connection's consents (all of them, whatever their status) allow.</summary>
    private static ConsentCoverage Coverage(IEnumerable<ConnectionConsent> consents)
    {
        var active = consents.Where(c => c.Status == ConsentStatus.Active).ToList();
        return new ConsentCoverage(active.Any(c => c.IsGeneral),
            active.Where(c => !c.IsGeneral).SelectMany(c => c.DataTypes).ToHashSet(StringComparer.Ordinal));
    }

    public async Task<ConsentCoverage> CoverageAsync(Guid connectionId, CancellationToken ct) =>
        (await CoverageAsync([connectionId], ct))[connectionId];

    /// <summary>
    /// The connection was linked: record what the customer agreed to before signing in. With products, each agreed
    /// product the platform can serve gets a consent; without products, one consent covers every data type shown.
    /// Answers what the connection's consents cover now (the link's first reads follow it), from the one read of its
    /// consents this needs.
    /// </summary>
    public async Task<ConsentCoverage> GrantOnLinkAsync(Connection connection, ConsentCapture? capture, CancellationToken ct)
    {
        var offered = Offered(connection);
        var products = await CompanyProductsAsync(connection.CompanyId, ct);
        var who = capture is null ? ConsentActorInfo.System : new ConsentActorInfo(ConsentActor.Customer, null, capture.IpAddress, capture.UserAgent);
        // Tracked, every product's: the grants below update them, and the coverage counts the others too.
        var consents = await ConsentsOf.For(db)(db, connection.Id).ToListAsync(ct);
        if (products.Count == 0)
        {
            Grant(connection, "", offered, capture, who, consents);
        }

        foreach (var product in products.Where(p => capture?.Products.Contains(p.Identifier) == true))
        {
            var types = product.DataTypes.Intersect(offered, StringComparer.Ordinal).ToList();
            if (types.Count > 0)
            {
                Grant(connection, product.Identifier, types, capture, who, consents);
            }
        }

        return Coverage(consents);
    }

    private static readonly PerModel<Func<ConsentryDbContext, Guid, IAsyncEnumerable<ConnectionConsent>>> ConsentsOf = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid connectionId) => db.ConnectionConsents.Where(c => c.ConnectionId == connectionId)));

    /// <summary>Records a granted consent and makes it the connection's current one for that product.</summary>
    public async Task GrantAsync(Connection connection, string product, IReadOnlyList<string> dataTypes, ConsentCapture? capture,
        ConsentActorInfo who, CancellationToken ct)
    {
        var current = await CurrentConsent.For(db)(db, connection.Id, product, ct);
        Grant(connection, product, dataTypes, capture, who, current is null ? [] : [current]);
    }

    /// <summary><see cref="GrantAsync"/> with the connection's current consents already loaded (tracked); a new one joins <paramref name="consents"/>.</summary>
    private void Grant(Connection connection, string product, IReadOnlyList<string> dataTypes, ConsentCapture? capture, ConsentActorInfo who,
        List<ConnectionConsent> consents)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var record = Append(connection, product, ConsentAction.Granted, dataTypes, who, capture?.At ?? now, now,
            capture is null ? "No consent text was captured for this sign-in." : null, capture);
        var current = consents.FirstOrDefault(c => c.ProductIdentifier == product);
        if (current is null)
        {
            current = new ConnectionConsent { ConnectionId = connection.Id, ProductIdentifier = product, CompanyId = connection.CompanyId };
            db.ConnectionConsents.Add(current);
            consents.Add(current);
        }

        current.Status = ConsentStatus.Active;
        current.DataTypes = [.. dataTypes];
        current.LastRecordId = record.Id;
        current.Updated = now;
    }

    /// <summary>
    /// Ends the connection's active consents (one product's, or all with <paramref name="product"/> null), appending a
    /// record for each; answers the data types no remaining consent covers, whose schedules stop coming due so they are
    /// no longer read (a read in progress stops at its next page: <see cref="Sync.DatasetReader"/> checks the coverage).
    /// </summary>
    public async Task<IReadOnlyList<string>> EndAsync(Connection connection, string? product, ConsentAction action, ConsentActorInfo who,
        string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var consents = await db.ConnectionConsents.Where(c => c.ConnectionId == connection.Id).ToListAsync(ct);
        var ending = consents.Where(c => c.Status == ConsentStatus.Active && (product is null || c.ProductIdentifier == product)).ToList();
        foreach (var consent in ending)
        {
            var record = Append(connection, consent.ProductIdentifier, action, consent.DataTypes, who, now, now, reason, null);
            consent.Status = action == ConsentAction.Expired ? ConsentStatus.Expired : ConsentStatus.Revoked;
            consent.LastRecordId = record.Id;
            consent.Updated = now;
        }

        var remaining = consents.Where(c => c.Status == ConsentStatus.Active).ToList();
        var stillCovered = remaining.Any(c => c.IsGeneral)
            ? Offered(connection).ToHashSet(StringComparer.Ordinal)
            : remaining.SelectMany(c => c.DataTypes).ToHashSet(StringComparer.Ordinal);
        var stopped = ending.SelectMany(c => c.IsGeneral ? Offered(connection) : c.DataTypes).Distinct(StringComparer.Ordinal)
            .Where(t => !stillCovered.Contains(t)).ToList();
        if (stopped.Count > 0)
        {
            // The schedules stay (the cached data stays readable); they just never come due until a consent covers them again.
            foreach (var schedule in await db.SyncSchedules.Where(s => s.ConnectionId == connection.Id && stopped.Contains(s.DataType)).ToListAsync(ct))
            {
                schedule.NextSyncAt = NoConsent;
            }
        }

        return stopped;
    }

    /// <summary>The company's products a Linked connection could serve but has no active consent for: the additional consent to ask.</summary>
    public async Task<List<(Connection Connection, List<(Product Product, List<string> Types)> Products)>> PendingAsync(
        Guid companyId, CancellationToken ct, Guid? connectionId = null)
    {
        var products = await CompanyProductsAsync(companyId, ct);
        if (products.Count == 0)
        {
            return [];
        }

        var linked = await db.Connections.AsNoTracking()
            .Where(c => c.CompanyId == companyId && c.Status == ConnectionStatus.Linked && (connectionId == null || c.Id == connectionId))
            .OrderBy(c => c.Created).ToListAsync(ct);
        var ids = linked.Select(c => c.Id).ToList();
        var consents = await db.ConnectionConsents.AsNoTracking().Where(c => ids.Contains(c.ConnectionId) && c.Status == ConsentStatus.Active).ToListAsync(ct);
        var pending = new List<(Connection, List<(Product, List<string>)>)>();
        foreach (var connection in linked)
        {
            var mine = consents.Where(c => c.ConnectionId == connection.Id).ToList();
            if (mine.Any(c => c.IsGeneral))
            {
                continue; // a consent given without products already covers everything the platform offers
            }

            var offered = Offered(connection);
            var missing = products.Where(p => mine.All(c => c.ProductIdentifier != p.Identifier))
                .Select(p => (p, p.DataTypes.Intersect(offered, StringComparer.Ordinal).ToList()))
                .Where(p => p.Item2.Count > 0).ToList();
            if (missing.Count > 0)
            {
                pending.Add((connection, missing));
            }
        }

        return pending;
    }

    private ConsentRecord Append(Connection connection, string product, ConsentAction action, IReadOnlyList<string> dataTypes,
        ConsentActorInfo who, DateTime at, DateTime now, string? reason, ConsentCapture? capture)
    {
        var record = new ConsentRecord
        {
            Id = Guid.CreateVersion7(),
            ClientId = connection.ClientId,
            CompanyId = connection.CompanyId,
            ConnectionId = connection.Id,
            PlatformKey = connection.PlatformKey,
            ProductIdentifier = product.Length == 0 ? null : product,
            Action = action,
            DataTypes = [.. dataTypes],
            TextHash = capture?.TextHash,
            TextVersion = capture?.TextVersion,
            Language = capture?.Language,
            Actor = who.Actor,
            ActorId = who.ActorId,
            IpAddress = who.IpAddress,
            UserAgent = who.UserAgent,
            Reason = reason,
            At = at,
            Recorded = now,
        };
        db.ConsentRecords.Add(record);
        return record;
    }
}
