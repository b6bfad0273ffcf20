using Consentry.Core.Connections;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Domain;

internal static class ConnectionLoading
{
    /// <summary>The company (with its tags) that an event about one of its connections refers to.</summary>
    public static Task<Core.Companies.Company> CompanyForEventsAsync(this ConsentryDbContext db, Guid companyId, CancellationToken ct) =>
        db.Companies.AsNoTracking().Include(c => c.Tags).FirstAsync(c => c.Id == companyId, ct);

    /// <summary>The connection, or Codat's not-found for the company or the connection (another client's look missing).</summary>
    public static async Task<Result<Connection>> FindConnectionAsync(
        this ConsentryDbContext db, Guid companyId, Guid connectionId, bool track, CancellationToken ct)
    {
        var query = track ? db.Connections : db.Connections.AsNoTracking();
        var connection = await query.FirstOrDefaultAsync(c => c.Id == connectionId && c.CompanyId == companyId, ct);
        if (connection is not null)
        {
            return connection;
        }

        return await db.CompanyExistsAsync(companyId, ct)
            ? Error.NotFound($"Data connection {connectionId} not found.")
            : CompanyLoading.NotFound(companyId);
    }
}
