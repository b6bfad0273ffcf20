using Consentry.Connectors;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Connections;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Consentry.Features.Sync;

/// <summary>
/// Reads one claimed dataset: pages through the platform's data API over HTTP (incrementally after the first complete
/// read), maps each page to Codat's shape and upserts it together with the dataset's progress in one transaction, fenced
/// by the lease (an instance that lost its claim writes nothing). A read interrupted by a crash resumes at its next page.
/// </summary>
public sealed class DatasetReader(
    ConsentryDbContext db,
    IntegrationCatalogue catalogue,
    PlatformClients platforms,
    PlatformConnectors connectors,
    ConnectionAccess access,
    RecordStore records,
    ReadCompletion completion,
    ConsentLedger consents,
    IConfiguredSources sources,
    IOptionsMonitor<SyncOptions> options,
    TimeProvider time,
    ILogger<DatasetReader> logger,
    Infrastructure.Observability.ConsentryMetrics metrics,
    SyncQueue queue)
{
    public async Task ReadAsync(Guid datasetId, string owner, CancellationToken ct)
    {
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId && d.LeaseOwner == owner, ct);
        if (dataset is not { IsActive: true })
        {
            return;
        }

        // The read continues the trace that queued it (the Link callback's, for the first reads).
        using var activity = Infrastructure.Observability.ConsentryTracing.StartContinuing("consentry.sync.read", dataset.TraceParent);
        activity?.SetTag("consentry.dataset_id", dataset.Id.ToString());
        activity?.SetTag("consentry.data_type", dataset.DataType);

        var connection = await db.Connections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == dataset.ConnectionId, ct);
        if (connection is null)
        {
            return;
        }

        if (connection.Status != ConnectionStatus.Linked)
        {
            await completion.EndAsync(dataset, owner, DatasetStatus.Cancelled, $"The connection is {connection.Status}, so it is not read.", null, ct);
            return;
        }

        if (!(await consents.CoverageAsync(connection.Id, ct)).Covers(dataset.DataType))
        {
            await completion.EndAsync(dataset, owner, DatasetStatus.Cancelled, $"No active consent covers {dataset.DataType}, so it is not read.", null, ct);
            return;
        }

        var integration = catalogue.Find(connection.PlatformKey);
        // Custom data types and supplemental data: the client's configuration wraps the platform's connector.
        var connector = integration is null ? null : await sources.ForAsync(connectors.For(integration.PlatformKey), integration.PlatformKey, dataset.DataType, ct);
        if (integration is null || connector is null || !connector.Readable(integration).Contains(dataset.DataType))
        {
            await completion.EndAsync(dataset, owner, DatasetStatus.NotSupported, $"Consentry cannot read {dataset.DataType} from {connection.PlatformName}.", null, ct);
            return;
        }

        if (dataset.Started is null && !await StartAsync(dataset, owner, ct))
        {
            return;
        }

        var grant = await access.GrantAsync(connection.Id, ct);
        var platform = grant is null ? null : (await platforms.ResolveAsync(integration, ct))?.ForAccount(grant.Account);
        if (grant is null || platform is null)
        {
            await completion.EndAsync(dataset, owner, DatasetStatus.AuthError,
                grant is null ? "The connection has no access token." : $"{integration.Name} is not configured on this instance.", null, ct);
            return;
        }

        var token = grant.AccessToken;
        var settings = options.CurrentValue;
        var retry = RetryPipeline(settings);
        var refreshed = false;
        Task<DataPage> Fetch(string? cursor) => retry.ExecuteAsync(
            async (state, token2) => await state.connector.ReadAsync(state.request, token2),
            (connector, request: new DataRequest(platform, dataset.DataType, token, grant.Account, cursor, settings.PageSize, dataset.ModifiedSince,
                time.GetUtcNow().UtcDateTime) { From = dataset.SyncFrom }), ct).AsTask();

        // Later pages are asked for while this one is being stored, so the platform, the mapping and the database work at
        // once; pages are still stored in order, each transaction with its progress, so a read resumes after the last
        // transaction that committed.
        var ahead = new PagesAhead(Fetch, connector, settings);
        await using var cache = await records.WidenCacheAsync(ct);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // Unlinked (or deauthorized) while being read: stop at the next page, keeping what was stored.
                if (dataset.NextPage > 1 && !await db.Connections.AnyAsync(c => c.Id == connection.Id && c.Status == ConnectionStatus.Linked, ct))
                {
                    await completion.EndAsync(dataset, owner, DatasetStatus.Cancelled, "The connection was unlinked during the read.", null, ct);
                    return;
                }

                // Consent revoked while being read: the same.
                if (dataset.NextPage > 1 && !(await consents.CoverageAsync(connection.Id, ct)).Covers(dataset.DataType))
                {
                    await completion.EndAsync(dataset, owner, DatasetStatus.Cancelled, "The consent for this data type was revoked during the read.", null, ct);
                    return;
                }

                var page = await ahead.TakeAsync(dataset.Cursor);

                switch (page)
                {
                    case DataPage.Ok unfiltered:
                        refreshed = false;
                        // The pages after this one that have already arrived go into the same transaction (up to
                        // PagesPerTransaction): the store, one page at a time on SQLite's single writer, is what a read waits on.
                        var batch = new List<DataPage.Ok>(settings.PagesPerTransaction);
                        var ok = WithinWindow(unfiltered, dataset.SyncFrom);
                        var taken = 0L;
                        while (true)
                        {
                            batch.Add(ok);
                            taken += ok.Records.Count;
                            if (ok.NextCursor is null)
                            {
                                break;
                            }

                            ahead.Fill(ok.NextCursor, ok.TotalResults is { } total ? total - (dataset.RecordsRead + taken) : null);
                            if (batch.Count == settings.PagesPerTransaction || ahead.TakeReady(ok.NextCursor) is not { } next)
                            {
                                break;
                            }

                            ok = WithinWindow(next, dataset.SyncFrom);
                        }

                        var done = ok.NextCursor is null;
                        if (!await records.SavePagesAsync(dataset, owner, batch, connector.FullReadFindsEverything, ct))
                        {
                            logger.LogWarning("Dataset {DatasetId} was claimed by another instance; this read stops.", dataset.Id);
                            return;
                        }

                        foreach (var stored in batch)
                        {
                            metrics.PageStored(dataset.DataType, stored.Records.Count);
                        }

                        if (done)
                        {
                            await completion.EndAsync(dataset, owner, DatasetStatus.Complete, null, null, ct);
                            return;
                        }

                        break;

                    case DataPage.Unauthorized unauthorized when !refreshed:
                        refreshed = true;
                        switch (await access.RefreshAsync(connection.Id, token, ct))
                        {
                            case RefreshOutcome.Refreshed fresh:
                                token = fresh.AccessToken;
                                break;
                            case RefreshOutcome.Deauthorized deauthorized:
                                await completion.EndAsync(dataset, owner, DatasetStatus.AuthError, "The connection is no longer authorized.", deauthorized.Reason, ct);
                                return;
                            case RefreshOutcome.Failed failed:
                                await completion.EndAsync(dataset, owner, DatasetStatus.AuthError, "The access token could not be refreshed.", $"{unauthorized.Detail} {failed.Reason}", ct);
                                return;
                        }

                        break;

                    case DataPage.Unauthorized unauthorized:
                        await completion.EndAsync(dataset, owner, DatasetStatus.AuthError, "The platform refused a freshly refreshed token.", unauthorized.Detail, ct);
                        return;

                    case DataPage.Deauthorized gone:
                        var tracked = await db.Connections.FirstAsync(c => c.Id == connection.Id, ct);
                        await access.DeauthorizeAsync(tracked, gone.Detail, null, ct,
                            gone.ConsentExpired ? Core.Consents.ConsentAction.Expired : Core.Consents.ConsentAction.Revoked);
                        await completion.EndAsync(dataset, owner, DatasetStatus.AuthError,
                            gone.ConsentExpired ? "The customer's consent at the platform expired." : "The platform no longer gives access to this account.", gone.Detail, ct);
                        return;

                    case DataPage.Forbidden forbidden:
                        await completion.EndAsync(dataset, owner, DatasetStatus.PermissionsError, "The platform does not allow reading this data type.", forbidden.Detail, ct);
                        return;

                    case DataPage.RateLimited limited:
                        if (!await WaitForRateLimitAsync(dataset, owner, limited.RetryAfter, settings, ct))
                        {
                            return;
                        }

                        break;

                    case DataPage.Failed failed:
                        await completion.EndAsync(dataset, owner, DatasetStatus.FetchError, "Reading from the platform failed.", failed.Detail, ct);
                        return;
                }
            }
        }
        finally
        {
            // Pages asked for ahead and never used (the read stopped): let them finish rather than leave them unobserved.
            await ahead.AbandonAsync();
        }
    }

    /// <summary>
    /// Marks the read Fetching and fixes its <c>modifiedSince</c> (the watermark of the last complete read, if any; none
    /// when the last complete full read is older than <see cref="SyncOptions.FullReadDays"/>) and its lower date bound.
    /// </summary>
    private async Task<bool> StartAsync(Dataset dataset, string owner, CancellationToken ct)
    {
        var schedule = await db.SyncSchedules.AsNoTracking()
            .Where(s => s.ConnectionId == dataset.ConnectionId && s.DataType == dataset.DataType)
            .Select(s => new { s.Watermark, s.LatestSuccessfulDatasetId }).FirstOrDefaultAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var watermark = schedule?.Watermark;
        var fullReadDays = options.CurrentValue.FullReadDays;
        if (watermark is not null && fullReadDays > 0)
        {
            var lastFull = await db.Datasets.AsNoTracking()
                .Where(d => d.ConnectionId == dataset.ConnectionId && d.DataType == dataset.DataType && d.Status == DatasetStatus.Complete && d.ModifiedSince == null)
                .MaxAsync(d => d.Started, ct);
            watermark = lastFull is null || lastFull < now.AddDays(-fullReadDays) ? null : watermark;
        }

        var from = SyncWindow.From((await queue.SettingsAsync(dataset.CompanyId, ct))(dataset.DataType), now);
        // An incremental read starts where the last complete one left a vendor's sync cursor (DataPage.Ok.ResumeCursor).
        var resume = watermark is null || schedule?.LatestSuccessfulDatasetId is not { } last ? null
            : await db.Datasets.AsNoTracking().Where(d => d.Id == last).Select(d => d.Cursor).FirstOrDefaultAsync(ct);
        var started = await db.Datasets.Where(d => d.Id == dataset.Id && d.LeaseOwner == owner).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DatasetStatus.Fetching)
            .SetProperty(d => d.Started, now)
            .SetProperty(d => d.ModifiedSince, watermark)
            .SetProperty(d => d.SyncFrom, from)
            .SetProperty(d => d.Cursor, resume), ct);
        dataset.Status = DatasetStatus.Fetching;
        dataset.Started = now;
        dataset.ModifiedSince = watermark;
        dataset.Cursor = resume;
        dataset.SyncFrom = from;
        return started == 1;
    }

    /// <summary>
    /// Drops records the platform last modified before the read's lower bound (for platforms that cannot filter by date);
    /// deletions and records without a date are kept.
    /// </summary>
    private static DataPage.Ok WithinWindow(DataPage.Ok page, DateTime? from) =>
        from is not { } bound || page.Records.All(r => r.Tombstone || r.SourceModifiedDate is null || r.SourceModifiedDate >= bound)
            ? page
            : page with { Records = [.. page.Records.Where(r => r.Tombstone || r.SourceModifiedDate is null || r.SourceModifiedDate >= bound)] };

    /// <summary>
    /// Honours Retry-After: a short wait happens here (the lease is renewed first so it outlasts the wait); a long one
    /// puts the dataset back in the queue until then. Too many waits end the read as RateLimitError.
    /// </summary>
    private async Task<bool> WaitForRateLimitAsync(Dataset dataset, string owner, TimeSpan retryAfter, SyncOptions settings, CancellationToken ct)
    {
        dataset.RateLimitWaits++;
        if (dataset.RateLimitWaits > settings.MaxRateLimitWaits)
        {
            await completion.EndAsync(dataset, owner, DatasetStatus.RateLimitError, "The platform kept answering 429 Too Many Requests.", null, ct);
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (retryAfter <= TimeSpan.FromSeconds(settings.MaxInlineRetryAfterSeconds))
        {
            var renewed = await db.Datasets.Where(d => d.Id == dataset.Id && d.LeaseOwner == owner).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.RateLimitWaits, dataset.RateLimitWaits)
                .SetProperty(d => d.StatusDescription, $"Rate limited by the platform; waiting {retryAfter.TotalSeconds:0.#} s.")
                .SetProperty(d => d.LeaseExpiresAt, now + retryAfter + TimeSpan.FromSeconds(settings.LeaseSeconds)), ct);
            if (renewed == 0)
            {
                return false;
            }

            await Task.Delay(retryAfter, time, ct);
            return true;
        }

        await db.Datasets.Where(d => d.Id == dataset.Id && d.LeaseOwner == owner).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.RateLimitWaits, dataset.RateLimitWaits)
            .SetProperty(d => d.StatusDescription, $"Rate limited by the platform until {now + retryAfter:O}.")
            .SetProperty(d => d.NextAttemptAt, now + retryAfter)
            .SetProperty(d => d.LeaseOwner, (string?)null)
            .SetProperty(d => d.LeaseExpiresAt, (DateTime?)null), ct);
        return false;
    }

    /// <summary>Transient failures (5xx, timeouts, refused connections) are retried a bounded number of times with backoff.</summary>
    private static ResiliencePipeline<DataPage> RetryPipeline(SyncOptions settings) =>
        settings.TransientRetries == 0
            ? ResiliencePipeline<DataPage>.Empty
            : new ResiliencePipelineBuilder<DataPage>()
                .AddRetry(new RetryStrategyOptions<DataPage>
                {
                    ShouldHandle = new PredicateBuilder<DataPage>().HandleResult(r => r is DataPage.Failed { Transient: true }),
                    MaxRetryAttempts = settings.TransientRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(200),
                })
                .Build();
}
