using Consentry.Core.Connections;
using Consentry.Core.Consents;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Consents;

/// <summary>
/// What the consent ledger shows: a company's records with the exact texts shown, and one connection's consents with
/// what each alone covers. The API (<see cref="ConsentsEndpoints"/>), the SDK API and the portal's company page adapt them.
/// </summary>
internal static class ConsentViews
{
    /// <summary>The ledger of a company, oldest first; a deleted company's ledger is kept, so only an unknown company is not found.</summary>
    public static async Task<Result<List<ConsentRecordResponse>>> LedgerAsync(ConsentryDbContext db, Guid companyId, Guid? connectionId, CancellationToken ct)
    {
        if (!await db.CompanyExistsAsync(companyId, ct) && !await db.ConsentRecords.AnyAsync(r => r.CompanyId == companyId, ct))
        {
            return CompanyLoading.NotFound(companyId);
        }

        return await LedgerOfAsync(db, companyId, connectionId, ct);
    }

    /// <summary>The records of a company (of one connection, when given), oldest first, each with the text shown.</summary>
    public static async Task<List<ConsentRecordResponse>> LedgerOfAsync(ConsentryDbContext db, Guid companyId, Guid? connectionId, CancellationToken ct)
    {
        var records = await db.ConsentRecords.AsNoTracking()
            .Where(r => r.CompanyId == companyId && (connectionId == null || r.ConnectionId == connectionId))
            .OrderBy(r => r.Recorded).ThenBy(r => r.Id).ToListAsync(ct);
        var hashes = records.Select(r => r.TextHash).OfType<string>().Distinct().ToList();
        var texts = await db.ConsentTexts.AsNoTracking().Where(t => hashes.Contains(t.Hash)).ToDictionaryAsync(t => t.Hash, t => t.Text, ct);
        return [.. records.Select(r => r.ToResponse(r.TextHash is { } hash ? texts.GetValueOrDefault(hash) : null))];
    }

    /// <summary>A connection's consents, each with the data types only it covers (what revoking it would stop), and those pending.</summary>
    public static async Task<ConnectionConsentsResponse> OfConnectionAsync(ConsentryDbContext db, ConsentLedger ledger, Connection connection, CancellationToken ct)
    {
        var consents = await db.ConnectionConsents.AsNoTracking().Where(c => c.ConnectionId == connection.Id)
            .OrderBy(c => c.ProductIdentifier).ToListAsync(ct);
        var active = consents.Where(c => c.Status == ConsentStatus.Active).ToList();
        var offered = ledger.Offered(connection);
        var pending = (await ledger.PendingAsync(connection.CompanyId, ct, connection.Id))
            .SelectMany(p => p.Products).Select(p => new PendingConsentResponse(p.Product.Identifier, p.Types)).ToList();
        return new ConnectionConsentsResponse(connection.Id, connection.PlatformKey, connection.PlatformName, connection.Status,
            connection.ConsentExpiresAt,
            [.. consents.Select(c =>
            {
                var others = active.Where(o => o.ProductIdentifier != c.ProductIdentifier).ToList();
                var covered = others.Any(o => o.IsGeneral) ? offered.ToHashSet(StringComparer.Ordinal) : others.SelectMany(o => o.DataTypes).ToHashSet(StringComparer.Ordinal);
                var types = c.IsGeneral ? offered : c.DataTypes;
                return new ConsentStateResponse(c.IsGeneral ? null : c.ProductIdentifier, c.Status, types, c.Updated,
                    c.Status == ConsentStatus.Active ? [.. types.Where(t => !covered.Contains(t))] : []);
            })],
            pending);
    }
}
