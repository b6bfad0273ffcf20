using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Companies;

/// <summary><c>GET /companies/{companyId}</c>.</summary>
internal static class GetCompany
{
    public static async Task<Results<Ok<CompanyResponse>, CodatError>> Handle(
        Guid companyId, ConsentryDbContext db, PublicUrls urls, CancellationToken ct)
    {
        var company = await db.WithTags().AsNoTracking().FirstOrDefaultAsync(c => c.Id == companyId, ct);
        if (company is null)
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        await db.WithConnectionsAsync([company], ct);
        return TypedResults.Ok(company.ToResponse(urls));
    }
}
