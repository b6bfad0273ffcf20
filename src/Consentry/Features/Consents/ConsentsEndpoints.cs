using Consentry.Core.Connections;
using Consentry.Core.Consents;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Settings;
using Consentry.Features.Companies;
using Consentry.Features.Connections;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Consents;

/// <summary>
/// The consent ledger for the app (API key): the ledger, each connection's consents and what a
/// change would affect, revoking one product's consent, deleting cached data per data type, and the export of
/// everything held about a company. The customer's side (company access token) is the SDK API's consent routes (<c>Features/Link/Embedded/SdkEndpoints</c>:
/// <c>…/connections/{connectionId}/consents</c>).
/// </summary>
public static class ConsentsEndpoints
{
    public static RouteGroupBuilder MapConsentsApi(this RouteGroupBuilder api)
    {
        var company = api.MapGroup("/companies/{companyId:guid}").WithTags("Consents");
        company.MapGet("/consents", Ledger).WithName("list-consents");
        company.MapGet("/export", CompanyExport.Handle).WithName("export-company");
        company.MapDelete("/data/{dataType}", DeleteData).WithName("delete-company-data");
        company.MapGet("/connections/{connectionId:guid}/consents", ConnectionConsents).WithName("get-connection-consents");
        company.MapGet("/connections/{connectionId:guid}/impact", Impact).WithName("get-connection-impact");
        company.MapDelete("/connections/{connectionId:guid}/consents/{productIdentifier}", Revoke).WithName("revoke-consent");
        return api;
    }

    /// <summary>The ledger of a company, oldest first, with the exact texts shown.</summary>
    internal static async Task<Results<Ok<ResultList<ConsentRecordResponse>>, CodatError>> Ledger(
        Guid companyId, Guid? connectionId, ConsentryDbContext db, CancellationToken ct)
    {
        var ledger = await ConsentViews.LedgerAsync(db, companyId, connectionId, ct);
        return ledger.IsSuccess ? TypedResults.Ok(new ResultList<ConsentRecordResponse>(ledger.Value!)) : new CodatError(ledger.Error!);
    }

    internal static async Task<Results<Ok<ConnectionConsentsResponse>, CodatError>> ConnectionConsents(
        Guid companyId, Guid connectionId, ConsentryDbContext db, ConsentLedger ledger, CancellationToken ct)
    {
        var found = await db.FindConnectionAsync(companyId, connectionId, track: false, ct);
        return found.IsSuccess ? TypedResults.Ok(await ConsentViews.OfConnectionAsync(db, ledger, found.Value!, ct)) : new CodatError(found.Error!);
    }

    /// <summary>What <c>action</c> (unlink, delete, or revoke with a product) would affect; nothing is changed.</summary>
    internal static async Task<Results<Ok<ImpactResponse>, CodatError>> Impact(
        Guid companyId, Guid connectionId, string? action, string? productIdentifier, ConsentryDbContext db, ConsentLedger ledger,
        ConsentChanges changes, ConnectionImpacts impacts, CancellationToken ct)
    {
        var found = await db.FindConnectionAsync(companyId, connectionId, track: false, ct);
        if (!found.IsSuccess)
        {
            return new CodatError(found.Error!);
        }

        switch (action ?? "delete")
        {
            case "revoke":
                var preview = await changes.PreviewRevokeAsync(companyId, connectionId, productIdentifier ?? "", ct);
                return preview.IsSuccess
                    ? TypedResults.Ok(new ImpactResponse("revoke", preview.Value!.Products, preview.Value.DataTypesStopped, false, false))
                    : new CodatError(preview.Error!);
            case "unlink" or "delete":
                var view = await impacts.OfAsync(found.Value!, ct);
                var coverage = await ledger.CoverageAsync(connectionId, ct);
                var read = ledger.Offered(found.Value!).Where(coverage.Covers).ToList();
                return TypedResults.Ok(new ImpactResponse(action ?? "delete", view.Products,
                    found.Value!.Status == ConnectionStatus.Linked ? read : [], action != "unlink", action != "unlink"));
            default:
                return new CodatError(Error.Validation("action must be unlink, delete, or revoke (with productIdentifier)."));
        }
    }

    private static async Task<Results<Ok<ImpactResponse>, CodatError>> Revoke(
        Guid companyId, Guid connectionId, string productIdentifier, HttpContext http, ConsentChanges changes, CancellationToken ct)
    {
        // "general" names the consent given without products (its product identifier is empty).
        var product = productIdentifier == "general" ? "" : productIdentifier;
        var result = await changes.RevokeAsync(companyId, connectionId, product, ConsentActorInfo.From(http, ConsentActor.App), ct);
        return result.IsSuccess
            ? TypedResults.Ok(new ImpactResponse("revoke", result.Value!.Products, result.Value.DataTypesStopped, false, false))
            : new CodatError(result.Error!);
    }

    /// <summary>Deletes the company's cached records of one data type (every connection); the next read of it is a full one.</summary>
    private static async Task<Results<NoContent, CodatError>> DeleteData(Guid companyId, string dataType, ConsentryDbContext db, CancellationToken ct)
    {
        if (!await db.CompanyExistsAsync(companyId, ct))
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        if (!DataTypes.IsKnown(dataType))
        {
            return new CodatError(Error.Validation($"{dataType} is not a data type. Known data types: {string.Join(", ", DataTypes.All)}."));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Records.Where(r => r.CompanyId == companyId && r.DataType == dataType).ExecuteDeleteAsync(ct);
        await db.SyncSchedules.Where(s => s.CompanyId == companyId && s.DataType == dataType)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Watermark, (DateTime?)null), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
