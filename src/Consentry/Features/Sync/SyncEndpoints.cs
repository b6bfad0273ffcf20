using Consentry.Core.Connections;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Settings;
using Consentry.Core.Sync;
using Consentry.Features.Companies;
using Consentry.Features.Connections;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Consentry.Querying;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Consentry.Infrastructure.Idempotency;

namespace Consentry.Features.Sync;

/// <summary>Codat's refresh and data-status endpoints: queue reads, watch them, list their history.</summary>
public static class SyncEndpoints
{
    private static readonly QueryableProperties<Dataset> DatasetQueries = new QueryableProperties<Dataset>("Dataset")
        .Add("id", d => d.Id)
        .Add("companyId", d => d.CompanyId)
        .Add("connectionId", d => d.ConnectionId)
        .Add("dataType", d => d.DataType)
        .Add("status", d => d.Status)
        .Add("requested", d => d.Requested)
        .Add("completed", d => d.Completed)
        .Add("progress", d => d.Progress);

    public static RouteGroupBuilder MapSyncApi(this RouteGroupBuilder api)
    {
        var company = api.MapGroup("/companies/{companyId:guid}").WithTags("Refresh data");
        company.MapGet("/dataStatus", DataStatusAsync).WithName("get-company-data-status");
        company.MapPost("/data/all", RefreshAllAsync).WithName("refresh-company-data");
        company.MapPost("/data/queue/{dataType}", RefreshDataTypeAsync).WithName("refresh-data-type").WithIdempotency();
        company.MapGet("/data/history", HistoryAsync).WithName("list-pull-operations");
        company.MapGet("/data/history/{datasetId:guid}", PullOperationAsync).WithName("get-pull-operation");
        company.MapGet("/sync/{datasetId:guid}/validation", ReadValidation.Handle).WithName("get-read-validation-results").WithTags("Read data");
        return api;
    }

    /// <summary>An object keyed by data type: every type ever queued for the company, from its most recent dataset.</summary>
    private static async Task<Results<Ok<Dictionary<string, DataStatus>>, CodatError>> DataStatusAsync(Guid companyId, ConsentryDbContext db, CancellationToken ct)
    {
        if (!await db.CompanyExistsAsync(companyId, ct))
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        // One statement, so the status and the last success come from the same snapshot (a read ending in between
        // must not show Complete without its lastSuccessfulSync).
        var rows = await (
            from schedule in db.SyncSchedules.AsNoTracking()
            where schedule.CompanyId == companyId
            join dataset in db.Datasets.AsNoTracking() on schedule.LatestDatasetId equals dataset.Id into latest
            from dataset in latest.DefaultIfEmpty()
            select new
            {
                schedule.DataType, schedule.LastSuccessfulSync, schedule.LatestSuccessfulDatasetId,
                DatasetId = (Guid?)dataset!.Id, Status = (DatasetStatus?)dataset.Status, Requested = (DateTime?)dataset.Requested,
            }).ToListAsync(ct);
        var result = new Dictionary<string, DataStatus>(StringComparer.Ordinal);
        // A type read from several connections (two bank accounts): the most recently requested read speaks for it.
        foreach (var byType in rows.GroupBy(r => r.DataType).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var newest = byType.Where(r => r.DatasetId is not null).OrderByDescending(r => r.Requested).FirstOrDefault();
            var lastGood = byType.Where(r => r.LastSuccessfulSync is not null).OrderByDescending(r => r.LastSuccessfulSync).FirstOrDefault();
            result[byType.Key] = new DataStatus(byType.Key, lastGood?.LastSuccessfulSync, (newest?.Status ?? DatasetStatus.Initial).ToString(),
                newest?.DatasetId, lastGood?.LatestSuccessfulDatasetId);
        }

        return TypedResults.Ok(result);
    }

    /// <summary>Queues every readable data type of every Linked connection (204, as Codat).</summary>
    private static async Task<Results<NoContent, CodatError>> RefreshAllAsync(Guid companyId, ConsentryDbContext db, SyncQueue queue, CancellationToken ct)
    {
        if (!await db.CompanyExistsAsync(companyId, ct))
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        var linked = await db.Connections.AsNoTracking().Where(c => c.CompanyId == companyId && c.Status == ConnectionStatus.Linked).ToListAsync(ct);
        var work = linked.Select(c => (c, queue.Readable(c))).Where(w => w.Item2.Count > 0).ToList();
        if (work.Count > 0)
        {
            await SaveQueuedAsync(db, () => queue.QueueAsync(companyId, work, SyncTrigger.Request, null, ct), ct);
        }

        return TypedResults.NoContent();
    }

    /// <summary>Queues one data type, from the given connection or from every Linked connection that offers it; 200 with the PullOperation.</summary>
    private static async Task<Results<Ok<PullOperation>, CodatError>> RefreshDataTypeAsync(
        Guid companyId, string dataType, Guid? connectionId, ConsentryDbContext db, SyncQueue queue, ConsentLedger consents, CancellationToken ct)
    {
        if (!await db.CompanyExistsAsync(companyId, ct))
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        if (!DataTypes.IsKnown(dataType))
        {
            return new CodatError(Error.Validation($"{dataType} is not a data type. Known data types: {string.Join(", ", DataTypes.All)}."));
        }

        List<Connection> connections;
        if (connectionId is { } id)
        {
            var found = await db.FindConnectionAsync(companyId, id, track: false, ct);
            if (!found.IsSuccess)
            {
                return new CodatError(found.Error!);
            }

            if (found.Value!.Status != ConnectionStatus.Linked)
            {
                return new CodatError(Error.Validation($"Connection {id} is {found.Value.Status}; only Linked connections are read."));
            }

            connections = [found.Value];
        }
        else
        {
            connections = await db.Connections.AsNoTracking().Where(c => c.CompanyId == companyId && c.Status == ConnectionStatus.Linked).ToListAsync(ct);
        }

        var work = connections.Where(c => queue.Readable(c).Contains(dataType)).Select(c => (c, (IReadOnlyList<string>)[dataType])).ToList();
        if (work.Count == 0)
        {
            return new CodatError(Error.Validation(connectionId is null
                ? $"No Linked connection of company {companyId} provides {dataType}."
                : $"Connection {connectionId} does not provide {dataType}."));
        }

        var coverage = await consents.CoverageAsync([.. work.Select(w => w.c.Id)], ct);
        work = [.. work.Where(w => coverage[w.c.Id].Covers(dataType))];
        if (work.Count == 0)
        {
            return new CodatError(Error.Validation(
                $"No active consent covers {dataType}: the customer has not agreed to share it for any of the company's products."));
        }

        var datasets = await SaveQueuedAsync(db, () => queue.QueueAsync(companyId, work, SyncTrigger.Request, null, ct), ct);
        return TypedResults.Ok(datasets[0].ToPullOperation());
    }

    private static async Task<Results<Ok<Paged<PullOperation>>, CodatError>> HistoryAsync(
        Guid companyId, [AsParameters] PageQuery page, ConsentryDbContext db, HttpRequest request, CancellationToken ct)
    {
        if (!await db.CompanyExistsAsync(companyId, ct))
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        var result = await Paging.ToPageAsync(
            db.Datasets.AsNoTracking().Where(d => d.CompanyId == companyId), page, DatasetQueries,
            q => q.OrderByDescending(d => d.Requested).ThenBy(d => d.Id), d => d.ToPullOperation(), request, ct);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : new CodatError(result.Error!);
    }

    private static async Task<Results<Ok<PullOperation>, CodatError>> PullOperationAsync(Guid companyId, Guid datasetId, ConsentryDbContext db, CancellationToken ct)
    {
        if (!await db.CompanyExistsAsync(companyId, ct))
        {
            return new CodatError(CompanyLoading.NotFound(companyId));
        }

        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.CompanyId == companyId && d.Id == datasetId, ct);
        return dataset is null
            ? new CodatError(Error.NotFound($"No pull operation was found with ID {datasetId}."))
            : TypedResults.Ok(dataset.ToPullOperation());
    }

    /// <summary>Saves what <paramref name="queue"/> added; if another request queued the same read first, returns the reads now queued.</summary>
    internal static async Task<IReadOnlyList<Dataset>> SaveQueuedAsync(ConsentryDbContext db, Func<Task<IReadOnlyList<Dataset>>> queue, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var datasets = await queue();
            try
            {
                await db.SaveChangesAsync(ct);
                return datasets;
            }
            catch (DbUpdateException e) when (attempt == 0 && SyncQueue.IsDuplicateActiveRead(e))
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}
