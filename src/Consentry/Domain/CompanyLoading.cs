using Consentry.Core.Companies;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Domain;

internal static class CompanyLoading
{
    /// <summary>Companies with their tags; connections come from <see cref="WithConnectionsAsync"/>.</summary>
    public static IQueryable<Company> WithTags(this ConsentryDbContext db) => db.Companies.Include(c => c.Tags);

    /// <summary>
    /// Loads the companies' connections with one indexed query (<c>CompanyId IN …</c>). A joined Include would filter
    /// the connections by tenant in a sub-select that SQLite materializes whole (every connection of the client) on
    /// each request; this reads only the rows it needs. Tracked companies get theirs by EF's fix-up.
    /// </summary>
    public static async Task WithConnectionsAsync(this ConsentryDbContext db, IReadOnlyList<Company> companies, CancellationToken ct)
    {
        if (companies.Count == 0)
        {
            return;
        }

        var ids = companies.Select(c => c.Id).ToList();
        var tracked = db.Entry(companies[0]).State != EntityState.Detached;
        var query = db.Connections.Where(c => ids.Contains(c.CompanyId));
        var connections = await (tracked ? query : query.AsNoTracking()).ToListAsync(ct);
        var products = db.CompanyProducts.Where(p => ids.Contains(p.CompanyId));
        var used = await (tracked ? products : products.AsNoTracking()).ToListAsync(ct);
        if (!tracked)
        {
            var byCompany = connections.ToLookup(c => c.CompanyId);
            var productsOf = used.ToLookup(p => p.CompanyId);
            foreach (var company in companies)
            {
                company.Connections = [.. byCompany[company.Id]];
                company.Products = [.. productsOf[company.Id]];
            }
        }
    }

    public static Error NotFound(Guid companyId) => Error.NotFound($"No company was found with ID {companyId}.");

    /// <summary>Whether the company exists for the current client (the tenant filter applies).</summary>
    public static Task<bool> CompanyExistsAsync(this ConsentryDbContext db, Guid companyId, CancellationToken ct) =>
        db.Companies.AnyAsync(c => c.Id == companyId, ct);
}
