using Consentry.Core.Companies;
using Consentry.Core.Connections;
using Consentry.Core.Consents;
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
    /// One statement: the company left-joined with its tags, connections and products (a few rows each, so their joined
    /// product stays small), compiled once per model so a request skips EF's query translation and cache look-up. Flat
    /// rows, not <c>Include</c>: EF Core's include shaper creates a delegate for each of its nested lambdas on every row
    /// (System.Linq.Expressions compiles them to dynamic methods of their own), 8.7 % of the server's CPU for this read on
    /// PostgreSQL (docs/benchmarks.md, "Request path, round 8"); the rows are put together here instead.
    /// </summary>
    private static readonly PerModel<Func<ConsentryDbContext, Guid, IAsyncEnumerable<Row>>> ById = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid id) =>
            from c in db.Companies.AsNoTracking().Where(c => c.Id == id)
            from t in db.Set<CompanyTag>().Where(t => t.CompanyId == c.Id).DefaultIfEmpty()
            from x in db.Connections.Where(x => x.CompanyId == c.Id).DefaultIfEmpty()
            from p in db.CompanyProducts.Where(p => p.CompanyId == c.Id).DefaultIfEmpty()
            select new Row(c, t, x, p)));

    private sealed record Row(Company Company, CompanyTag? Tag, Connection? Connection, CompanyProduct? Product);

    /// <summary>The company with its tags, connections and products, or null when the client has no such company.</summary>
    internal static async Task<Company?> LoadAsync(ConsentryDbContext db, Guid companyId, CancellationToken ct)
    {
        Company? company = null;
        HashSet<string> tags = [];
        HashSet<Guid> connections = [];
        HashSet<string> products = [];
        await foreach (var row in ById.For(db)(db, companyId).WithCancellation(ct))
        {
            company ??= row.Company;
            if (row.Tag is { } tag && tags.Add(tag.Key))
            {
                company.Tags.Add(tag);
            }

            if (row.Connection is { } connection && connections.Add(connection.Id))
            {
                company.Connections.Add(connection);
            }

            if (row.Product is { } product && products.Add(product.ProductIdentifier))
            {
                company.Products.Add(product);
            }
        }

        return company;
    }

    public static async Task<Results<Ok<CompanyResponse>, CodatError>> Handle(
        Guid companyId, ConsentryDbContext db, PublicUrls urls, CancellationToken ct)
    {
        var company = await LoadAsync(db, companyId, ct);
        return company is null
            ? new CodatError(CompanyLoading.NotFound(companyId))
            : TypedResults.Ok(company.ToResponse(urls));
    }
}
