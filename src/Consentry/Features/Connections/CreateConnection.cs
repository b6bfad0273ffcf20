using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Features.Companies;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Connections;

/// <summary>
/// <c>POST /companies/{companyId}/connections {platformKey}</c>: 200 with a <c>PendingAuth</c> connection whose
/// <c>linkUrl</c> starts the Link journey.
/// </summary>
internal static class CreateConnection
{
    public static async Task<Results<Ok<ConnectionResponse>, CodatError>> Handle(
        Guid companyId, CreateConnectionRequest? body, ConsentryDbContext db, IntegrationCatalogue catalogue,
        ConnectionFactory connections, PublicUrls urls, CancellationToken ct)
    {
        var company = await db.Companies.AsNoTracking().Include(c => c.Tags).FirstOrDefaultAsync(c => c.Id == companyId, ct);
        if (company is null)
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        if (string.IsNullOrWhiteSpace(body?.PlatformKey))
        {
            return new CodatError(Error.Validation("platformKey is required, e.g. {\"platformKey\": \"sbac\"}."));
        }

        if (catalogue.Find(body.PlatformKey) is not { } integration)
        {
            // 404, the status Codat's document lists for create-connection (it lists no 400).
            return new CodatError(Error.NotFound($"No integration has the platformKey '{body.PlatformKey}'. GET /integrations lists them."));
        }

        var created = await connections.CreateAsync(company, integration, ct);
        return created.IsSuccess ? TypedResults.Ok(created.Value!.ToResponse(urls)) : new CodatError(created.Error!);
    }
}
