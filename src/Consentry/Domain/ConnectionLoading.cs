using Consentry.Core.Connections;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Domain;

internal static class ConnectionLoading
{
    /// <summary>The company (with its tags) that an event about one of its connections refers to.</summary>
    public static Task<Core.Companies.Company> CompanyForEventsAsync(this ConsentryDbContext db, Guid companyId, CancellationToken ct) =>
        CompanyWithTags.For(db)(db, companyId, ct);

    // Compiled once per model (every link and failure reads it): no expression-tree parameter extraction or cache look-up per call.
    private static readonly PerModel<Func<ConsentryDbContext, Guid, CancellationToken, Task<Core.Companies.Company>>> CompanyWithTags = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid id, CancellationToken ct) => db.Companies.AsNoTracking().Include(c => c.Tags).First(c => c.Id == id)));

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
