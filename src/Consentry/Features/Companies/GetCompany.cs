using Consentry.Core.Companies;
using Consentry.Core.Connections;
using Consentry.Core.Consents;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Companies;

/// <summary><c>GET /companies/{companyId}</c>.</summary>
internal static class GetCompany
{
    // Compiled once: the hottest read skips EF's per-call expression walk and query-cache lookup. The tenant filter
    // still applies (it reads the renting context's tenant at every execution).
    private static readonly Func<ConsentryDbContext, Guid, CancellationToken, Task<Company?>> CompanyById =
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid id, CancellationToken ct) =>
            db.Companies.AsNoTracking().Include(c => c.Tags).FirstOrDefault(c => c.Id == id));

    private static readonly Func<ConsentryDbContext, Guid, IAsyncEnumerable<Connection>> ConnectionsOf =
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid id) => db.Connections.AsNoTracking().Where(c => c.CompanyId == id));

    private static readonly Func<ConsentryDbContext, Guid, IAsyncEnumerable<CompanyProduct>> ProductsOf =
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid id) => db.CompanyProducts.AsNoTracking().Where(p => p.CompanyId == id));

    public static async Task<Results<Ok<CompanyResponse>, CodatError>> Handle(
        Guid companyId, ConsentryDbContext db, PublicUrls urls, CancellationToken ct)
    {
        var company = await CompanyById(db, companyId, ct);
        if (company is null)
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        company.Connections = await ListAsync(ConnectionsOf(db, companyId), ct);
        company.Products = await ListAsync(ProductsOf(db, companyId), ct);
        return TypedResults.Ok(company.ToResponse(urls));
    }

    private static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        var list = new List<T>();
        await foreach (var row in rows.WithCancellation(ct))
        {
            list.Add(row);
        }

        return list;
    }
}
