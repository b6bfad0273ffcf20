using Consentry.Core.Companies;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Consentry.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Companies;

/// <summary><c>GET /companies/{companyId}</c>.</summary>
internal static class GetCompany
{
    /// <summary>
    /// One statement: the company joined with its tags, connections and products (a few rows each, so their joined
    /// product stays small), compiled once per model so a request skips EF's query translation and cache look-up.
    /// </summary>
    private static readonly PerModel<Func<ConsentryDbContext, Guid, CancellationToken, Task<Company?>>> ById = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid id, CancellationToken ct) => db.Companies.AsNoTracking().AsSingleQuery()
            .Include(c => c.Tags).Include(c => c.Connections).Include(c => c.Products)
            .FirstOrDefault(c => c.Id == id)));

    public static async Task<Results<Ok<CompanyResponse>, CodatError>> Handle(
        Guid companyId, ConsentryDbContext db, PublicUrls urls, CancellationToken ct)
    {
        var company = await ById.For(db)(db, companyId, ct);
        return company is null
            ? new CodatError(CompanyLoading.NotFound(companyId))
            : TypedResults.Ok(company.ToResponse(urls));
    }
}
