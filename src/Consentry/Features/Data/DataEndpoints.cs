using System.Text.Json;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Consentry.Features.Companies;
using Consentry.Features.Connections;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Data;

/// <summary>
/// The cached data, read through the paths of Codat's Accounting (<c>/companies/{id}/data/…</c>), Banking and Commerce
/// (<c>/companies/{id}/connections/{connectionId}/data/…</c>) APIs: paged, filtered with <c>query</c>, ordered with
/// <c>orderBy</c>. Records are served as the sync engine stored them; nothing is fetched from the platform here.
/// </summary>
public static class DataEndpoints
{
    public static RouteGroupBuilder MapDataApi(this RouteGroupBuilder api)
    {
        var accounting = api.MapGroup("/companies/{companyId:guid}/data").WithTags("Accounting data");
        var perConnection = api.MapGroup("/companies/{companyId:guid}/connections/{connectionId:guid}/data").WithTags("Banking and commerce data");
        foreach (var view in DataTypeViews.All)
        {
            var group = view.PerConnection ? perConnection : accounting;
            // The company-wide path of a per-connection type (Codat's deprecated list-bank-transactions) needs a name of its own.
            var name = (!view.PerConnection && view.DataType.Contains('-', StringComparison.Ordinal) ? "company-" : "")
                + view.DataType.Replace("-", "", StringComparison.Ordinal);
            if (view.SingleObject)
            {
                group.MapGet($"/{view.Path}", (Guid companyId, Guid? connectionId, ConsentryDbContext db, CancellationToken ct) =>
                    SingleAsync(view, companyId, connectionId, db, ct)).WithName($"get-data-{name}");
                continue;
            }

            group.MapGet($"/{view.Path}", (Guid companyId, Guid? connectionId, [AsParameters] PageQuery page, ConsentryDbContext db, HttpRequest request, CancellationToken ct) =>
                ListAsync(view, companyId, connectionId, page, db, request, ct)).WithName($"list-data-{name}");
            if (view.IdParameter is { } id)
            {
                group.MapGet($"/{view.Path}/{{{id}}}", (Guid companyId, Guid? connectionId, HttpRequest request, ConsentryDbContext db, CancellationToken ct) =>
                    SingleAsync(view, companyId, connectionId, db, ct, (string)request.RouteValues[id]!)).WithName($"get-data-{name}-by-id");
            }
        }

        return api;
    }

    private static async Task<Results<Ok<Paged<JsonElement>>, CodatError>> ListAsync(
        DataTypeView view, Guid companyId, Guid? connectionId, PageQuery page, ConsentryDbContext db, HttpRequest request, CancellationToken ct)
    {
        if (await CheckAsync(view, companyId, connectionId, db, ct) is { } error)
        {
            return new CodatError(error);
        }

        var result = await Paging.ToPageAsync(Records(view, companyId, connectionId, db), page, view.Fields,
            q => q.OrderBy(r => r.Id), r => Parse(r.Data), request, ct);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : new CodatError(result.Error!);
    }

    private static async Task<Results<Ok<JsonElement>, CodatError>> SingleAsync(
        DataTypeView view, Guid companyId, Guid? connectionId, ConsentryDbContext db, CancellationToken ct, string? recordId = null)
    {
        if (await CheckAsync(view, companyId, connectionId, db, ct) is { } error)
        {
            return new CodatError(error);
        }

        var records = Records(view, companyId, connectionId, db);
        var record = recordId is null
            ? await records.OrderByDescending(r => r.Updated).FirstOrDefaultAsync(ct)
            : await records.FirstOrDefaultAsync(r => r.RecordId == recordId, ct);
        return record is null
            ? new CodatError(Error.NotFound(recordId is null ? $"No {view.EntityName} has been read for this company." : $"No {view.EntityName} was found with ID {recordId}."))
            : TypedResults.Ok(Parse(record.Data));
    }

    private static IQueryable<CachedRecord> Records(DataTypeView view, Guid companyId, Guid? connectionId, ConsentryDbContext db)
    {
        var records = db.Records.AsNoTracking().Where(r => r.CompanyId == companyId && r.DataType == view.DataType);
        return connectionId is { } id ? records.Where(r => r.ConnectionId == id) : records;
    }

    /// <summary>404 for an unknown company or connection; 409 (as Codat) while the data type has never been read.</summary>
    private static async Task<Error?> CheckAsync(DataTypeView view, Guid companyId, Guid? connectionId, ConsentryDbContext db, CancellationToken ct)
    {
        if (!await db.CompanyExistsAsync(companyId, ct))
        {
            return CompanyLoading.NotFound(companyId);
        }

        if (connectionId is { } id && await db.FindConnectionAsync(companyId, id, track: false, ct) is { IsSuccess: false } missing)
        {
            return missing.Error;
        }

        var read = await db.SyncSchedules.AnyAsync(s => s.CompanyId == companyId && s.DataType == view.DataType
            && s.LastSuccessfulSync != null && (connectionId == null || s.ConnectionId == connectionId), ct);
        return read ? null : Error.Conflict($"{view.DataType} has not been read for this company yet. Queue it with POST /companies/{companyId}/data/queue/{view.DataType} and wait for dataStatus Complete.");
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
