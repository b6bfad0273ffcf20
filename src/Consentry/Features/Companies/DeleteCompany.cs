using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Companies;

/// <summary><c>DELETE /companies/{companyId}</c>: 204; the database cascades to connections, tags and cached data.</summary>
internal static class DeleteCompany
{
    public static async Task<Results<NoContent, CodatError>> Handle(Guid companyId, ConsentryDbContext db, CancellationToken ct)
    {
        var deleted = await db.Companies.Where(c => c.Id == companyId).ExecuteDeleteAsync(ct);
        return deleted == 0 ? new CodatError(CompanyLoading.NotFound(companyId)) : TypedResults.NoContent();
    }
}
