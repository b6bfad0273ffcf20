using Consentry.Core.Consents;
using Consentry.Core.Connections;
using Consentry.Core.Persistence;
using Consentry.Features.Connections;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Consents;

/// <summary>The products that use a connection (those with an active consent on it), for the impact shown before a disconnect.</summary>
public sealed class ConsentProductSource(ConsentryDbContext db) : IConnectionProductSource
{
    public async Task<IReadOnlyList<string>> ProductsAsync(Connection connection, CancellationToken ct) =>
        await db.ConnectionConsents.AsNoTracking()
            .Where(c => c.ConnectionId == connection.Id && c.Status == ConsentStatus.Active && c.ProductIdentifier != "")
            .OrderBy(c => c.ProductIdentifier).Select(c => c.ProductIdentifier).ToListAsync(ct);
}
