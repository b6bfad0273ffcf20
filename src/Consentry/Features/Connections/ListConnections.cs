using Consentry.Core.Connections;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Features.Companies;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Consentry.Infrastructure.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Connections;

/// <summary><c>GET /companies/{companyId}/connections</c>: paged and queryable.</summary>
internal static class ListConnections
{
    public static async Task<Results<Ok<Paged<ConnectionResponse>>, CodatError>> Handle(
        Guid companyId, [AsParameters] PageQuery page, ConsentryDbContext db, PublicUrls urls, HttpRequest request,
        CancellationToken ct)
    {
        var result = Paging.IsPlain(page)
            ? (Result<Paged<ConnectionResponse>>)await Paging.PlainPageAsync<Connection, ConnectionResponse>(page,
                async (skip, take) => await PlainPage.For(db)(db, companyId, skip, take).ToListAsync(ct),
                () => Count.For(db)(db, companyId, ct), c => c.ToResponse(urls), request)
            : await Paging.ToPageAsync(
                db.Connections.AsNoTracking().Where(c => c.CompanyId == companyId), page, ConnectionQueries.Properties,
                q => q.OrderBy(c => c.Created).ThenBy(c => c.Id), c => c.ToResponse(urls), request, ct);

        // A connection of the page proves the company is the client's (both are tenant-filtered), so the usual
        // answer is one round trip; an empty page or a bad query asks, and an unknown company still answers 404 first.
        if ((!result.IsSuccess || result.Value!.Results.Count == 0) && !await db.CompanyExistsAsync(companyId, ct))
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        return result.IsSuccess ? TypedResults.Ok(result.Value) : new CodatError(result.Error!);
    }

    // The plain list (no query, no orderBy) is most of them: compiled once per model, in the default order above.
    private static readonly PerModel<Func<ConsentryDbContext, Guid, int, int, IAsyncEnumerable<Connection>>> PlainPage = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid companyId, int skip, int take) => db.Connections.AsNoTracking()
            .Where(c => c.CompanyId == companyId).OrderBy(c => c.Created).ThenBy(c => c.Id).Skip(skip).Take(take)));

    private static readonly PerModel<Func<ConsentryDbContext, Guid, CancellationToken, Task<int>>> Count = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid companyId, CancellationToken ct) => db.Connections.Count(c => c.CompanyId == companyId)));
}
