using Consentry.Core.Persistence;
using Consentry.Core.Webhooks;
using Consentry.Features.Webhooks;
using Consentry.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Companies;

/// <summary>
/// <c>DELETE /companies/{companyId}</c>: 204; the database cascades to connections, tags and cached data, and the
/// <c>company.deleted</c> event commits with the deletion.
/// </summary>
internal static class DeleteCompany
{
    public static async Task<Results<NoContent, CodatError>> Handle(
        Guid companyId, ConsentryDbContext db, WebhookEvents events, CancellationToken ct)
    {
        var company = await db.Companies.Include(c => c.Tags).FirstOrDefaultAsync(c => c.Id == companyId, ct);
        if (company is null)
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        await events.CompanyAsync(WebhookEventTypes.CompanyDeleted, company, ct);
        db.Companies.Remove(company);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
