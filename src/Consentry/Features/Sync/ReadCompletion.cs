using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Consentry.Core.Webhooks;
using Consentry.Features.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Sync;

/// <summary>
/// Ends a dataset (fenced by its lease) and, in the same transaction, moves its schedule's watermark on success, stamps
/// <c>lastSync</c>, and counts it off its read: the dataset that ends a read sends <c>read.completed</c> (and
/// <c>read.completed.initial</c> for the first read after linking).
/// </summary>
public sealed class ReadCompletion(ConsentryDbContext db, WebhookOutbox events, TimeProvider time, ILogger<ReadCompletion> logger, Infrastructure.Observability.ConsentryMetrics metrics)
{
    public async Task EndAsync(Dataset dataset, string owner, DatasetStatus status, string? description, string? error, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var success = status == DatasetStatus.Complete;
        var message = error is { Length: > 1000 } ? error[..1000] : error;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ended = await db.Datasets.Where(d => d.Id == dataset.Id && d.LeaseOwner == owner).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, status)
            .SetProperty(d => d.StatusDescription, description)
            .SetProperty(d => d.ErrorMessage, message)
            .SetProperty(d => d.Completed, now)
            .SetProperty(d => d.Progress, success ? 100 : dataset.Progress)
            .SetProperty(d => d.Worker, owner.Split('#')[0])
            .SetProperty(d => d.LeaseOwner, (string?)null)
            .SetProperty(d => d.LeaseExpiresAt, (DateTime?)null), ct);
        if (ended == 0)
        {
            return;
        }

        if (success)
        {
            // Whole seconds, as platforms stamp records: a change in the second the read began is still found next time.
            var started = dataset.Started ?? now;
            var watermark = new DateTime(started.Ticks - (started.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            await db.SyncSchedules.Where(s => s.ConnectionId == dataset.ConnectionId && s.DataType == dataset.DataType).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Watermark, watermark)
                .SetProperty(x => x.LastSuccessfulSync, now)
                .SetProperty(x => x.LatestSuccessfulDatasetId, dataset.Id), ct);
            await db.Connections.Where(c => c.Id == dataset.ConnectionId).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastSync, now), ct);
            await db.Companies.Where(c => c.Id == dataset.CompanyId).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastSync, now), ct);
        }
        else
        {
            logger.LogInformation("Dataset {DatasetId} ({DataType}) ended {Status}: {Description}", dataset.Id, dataset.DataType, status, description);
        }

        // Atomic countdown: under concurrent endings exactly one transaction sees 0 (row lock on PostgreSQL, one writer on SQLite).
        await db.SyncReads.Where(r => r.Id == dataset.ReadId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Remaining, r => r.Remaining - 1), ct);
        var read = await db.SyncReads.AsNoTracking().FirstOrDefaultAsync(r => r.Id == dataset.ReadId, ct);
        if (read is { Remaining: 0 })
        {
            await db.SyncReads.Where(r => r.Id == read.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Completed, now), ct);
            var datasets = await db.Datasets.AsNoTracking().Where(d => d.ReadId == read.Id).OrderBy(d => d.Requested).ThenBy(d => d.DataType).ToListAsync(ct);
            var company = await db.Companies.AsNoTracking().Include(c => c.Tags).FirstOrDefaultAsync(c => c.Id == read.CompanyId, ct);
            if (company is not null)
            {
                await events.ReadCompletedAsync(WebhookEventTypes.ReadCompleted, company, datasets, ct);
                if (read.IsInitial)
                {
                    await events.ReadCompletedAsync(WebhookEventTypes.ReadCompletedInitial, company, datasets, ct);
                }
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        metrics.DatasetEnded(dataset.DataType, status);
    }
}
