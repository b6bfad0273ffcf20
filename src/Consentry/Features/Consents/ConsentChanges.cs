using Consentry.Core.Connections;
using Consentry.Core.Consents;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Features.Connections;
using Consentry.Features.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Consents;

/// <summary>What revoking a consent does: the products it ends and the data types that stop being read.</summary>
public sealed record ConsentImpact(IReadOnlyList<string> Products, IReadOnlyList<string> DataTypesStopped);

/// <summary>
/// The consent changes a customer or the app makes after linking, shared by the API, the Link pages and the SDK:
/// confirming additional consent (reads start for the new data types, no new sign-in) and revoking one product's
/// consent (reads stop for data types no other product needs). Each commits in one transaction with its ledger entries.
/// </summary>
public sealed class ConsentChanges(ConsentryDbContext db, ConsentLedger ledger, SyncQueue sync)
{
    /// <summary>Grants the consents of <paramref name="products"/> on a Linked connection and queues reads of what they newly cover.</summary>
    public async Task<IReadOnlyList<string>> ConfirmAdditionalAsync(Connection connection, IReadOnlyList<(Product Product, List<string> Types)> products,
        ConsentCapture capture, CancellationToken ct)
    {
        var before = await ledger.CoverageAsync(connection.Id, ct);
        var who = new ConsentActorInfo(ConsentActor.Customer, null, capture.IpAddress, capture.UserAgent);
        foreach (var (product, types) in products)
        {
            await ledger.GrantAsync(connection, product.Identifier, types, capture, who, ct);
        }

        var readable = sync.Readable(connection);
        var added = products.SelectMany(p => p.Types).Distinct(StringComparer.Ordinal)
            .Where(t => !before.Covers(t) && readable.Contains(t)).ToList();
        if (added.Count > 0)
        {
            await sync.QueueAsync(connection.CompanyId, [(connection, added)], SyncTrigger.Request, null, ct);
        }

        await db.SaveChangesAsync(ct);
        return added;
    }

    /// <summary>What revoking <paramref name="product"/>'s consent on the connection would do (nothing is changed).</summary>
    public async Task<Result<ConsentImpact>> PreviewRevokeAsync(Guid companyId, Guid connectionId, string product, CancellationToken ct)
    {
        var found = await FindActiveAsync(companyId, connectionId, product, ct);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (connection, consents) = found.Value;
        var others = consents.Where(c => c.ProductIdentifier != product).ToList();
        var covered = others.Any(c => c.IsGeneral) ? ledger.Offered(connection).ToHashSet(StringComparer.Ordinal)
            : others.SelectMany(c => c.DataTypes).ToHashSet(StringComparer.Ordinal);
        var mine = consents.Single(c => c.ProductIdentifier == product);
        var types = mine.IsGeneral ? ledger.Offered(connection) : mine.DataTypes;
        return new ConsentImpact([product], [.. types.Where(t => !covered.Contains(t))]);
    }

    /// <summary>Revokes one product's consent on a connection (the general consent with an empty product).</summary>
    public async Task<Result<ConsentImpact>> RevokeAsync(Guid companyId, Guid connectionId, string product, ConsentActorInfo who, CancellationToken ct)
    {
        var found = await FindActiveAsync(companyId, connectionId, product, ct);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var connection = found.Value.Connection;
        var stopped = await ledger.EndAsync(connection, product, ConsentAction.Revoked,
            who, who.Actor == ConsentActor.Customer ? "Revoked by the customer." : "Revoked by the app.", ct);
        await db.SaveChangesAsync(ct);
        return new ConsentImpact([product], stopped);
    }

    private async Task<Result<(Connection Connection, List<ConnectionConsent> Active)>> FindActiveAsync(
        Guid companyId, Guid connectionId, string product, CancellationToken ct)
    {
        var found = await db.FindConnectionAsync(companyId, connectionId, track: true, ct);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var active = await db.ConnectionConsents.Where(c => c.ConnectionId == connectionId && c.Status == ConsentStatus.Active).ToListAsync(ct);
        return active.Any(c => c.ProductIdentifier == product)
            ? (found.Value!, active)
            : Error.NotFound(product.Length == 0
                ? $"Connection {connectionId} has no active consent given without products."
                : $"Connection {connectionId} has no active consent for product '{product}'.");
    }
}
