using Consentry.Connectors.OAuth2;
using Consentry.Core.Consents;
using Consentry.Core.Persistence;
using Consentry.Features.Consents;
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
        Guid companyId, ConsentryDbContext db, WebhookOutbox events, ConnectionLifecycle lifecycle, HttpContext http,
        CancellationToken ct)
    {
        var company = await db.Companies.Include(c => c.Tags).FirstOrDefaultAsync(c => c.Id == companyId, ct);
        if (company is null)
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        // Each connection's grant is revoked at its platform and its consents end in the ledger, which outlives the company.
        var who = ConsentActorInfo.From(http, ConsentActor.App);
        foreach (var connection in await db.Connections.Where(c => c.CompanyId == companyId).ToListAsync(ct))
        {
            await lifecycle.RetireAsync(connection, who, "The company was deleted.", ct);
        }

        await events.CompanyAsync(WebhookEventTypes.CompanyDeleted, company, ct);
        db.Companies.Remove(company);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
