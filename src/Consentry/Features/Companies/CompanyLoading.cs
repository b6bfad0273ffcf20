using Consentry.Core.Companies;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Companies;

internal static class CompanyLoading
{
    /// <summary>Companies with what the response embeds (tags and connections).</summary>
    public static IQueryable<Company> WithDetails(this ConsentryDbContext db) =>
        db.Companies.Include(c => c.Tags).Include(c => c.Connections);

    public static Error NotFound(Guid companyId) => Error.NotFound($"No company was found with ID {companyId}.");

    /// <summary>Whether the company exists for the current client (the tenant filter applies).</summary>
    public static Task<bool> CompanyExistsAsync(this ConsentryDbContext db, Guid companyId, CancellationToken ct) =>
        db.Companies.AnyAsync(c => c.Id == companyId, ct);
}
