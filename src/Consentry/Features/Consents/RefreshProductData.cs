using Consentry.Core.Connections;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Consentry.Features.Companies;
using Consentry.Features.Sync;
using Consentry.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Consents;

/// <summary>The optional body of Codat's refresh-product-data: only these of the product's data types.</summary>
public sealed record RefreshProductBody(List<string>? DataTypes);

/// <summary>
/// <c>POST /companies/{companyId}/products/{productIdentifier}/refresh</c>: queues the product's data types (or the
/// chosen ones) on every Linked connection that can read them, as one read; 202. As Codat: 400 while a read of those
/// types is running, and 400 naming the product's types when a chosen one is not among them. What no active consent
/// covers is not read (as for every queued read).
/// </summary>
internal static class RefreshProductData
{
    public static async Task<Results<Accepted, CodatError>> Handle(
        Guid companyId, string productIdentifier, RefreshProductBody? body, ConsentryDbContext db, SyncQueue queue, CancellationToken ct)
    {
        if (!await db.CompanyExistsAsync(companyId, ct))
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        var product = await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Identifier == productIdentifier, ct);
        if (product is null || !await db.CompanyProducts.AnyAsync(p => p.CompanyId == companyId && p.ProductIdentifier == productIdentifier, ct))
        {
            return new CodatError(Error.NotFound($"Company {companyId} does not use product '{productIdentifier}'."));
        }

        var types = product.DataTypes;
        if (body?.DataTypes is { Count: > 0 } chosen)
        {
            var invalid = chosen.Where(t => t is null || !product.DataTypes.Contains(t, StringComparer.Ordinal)).ToList();
            if (invalid.Count > 0)
            {
                return new CodatError(Error.Validation(
                    $"'{invalid[0]}' is not a data type of product '{productIdentifier}'. Valid options: {string.Join(", ", product.DataTypes)}."));
            }

            types = [.. chosen.Distinct(StringComparer.Ordinal)];
        }

        var linked = await db.Connections.AsNoTracking().Where(c => c.CompanyId == companyId && c.Status == ConnectionStatus.Linked).ToListAsync(ct);
        var linkedIds = linked.Select(c => c.Id).ToList();
        if (await db.Datasets.AnyAsync(d => linkedIds.Contains(d.ConnectionId) && types.Contains(d.DataType)
                && (d.Status == DatasetStatus.Queued || d.Status == DatasetStatus.Fetching), ct))
        {
            return new CodatError(Error.Validation("Data cannot be refreshed while a read operation is in progress. Allow the read to complete before attempting to refresh."));
        }

        var work = linked.Select(c => (c, (IReadOnlyList<string>)[.. queue.Readable(c).Intersect(types, StringComparer.Ordinal)]))
            .Where(w => w.Item2.Count > 0).ToList();
        if (work.Count > 0)
        {
            await SyncEndpoints.SaveQueuedAsync(db, () => queue.QueueAsync(companyId, work, SyncTrigger.Request, null, ct), ct);
        }

        return TypedResults.Accepted((string?)null);
    }
}
