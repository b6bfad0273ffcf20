using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Consentry.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Consentry.Infrastructure.Work;
using Microsoft.Extensions.Options;

namespace Consentry.Infrastructure.Observability;

public sealed record QueueSample(long DeliveriesDue, double OldestDeliveryAgeSeconds, long DatasetsQueued, double OldestDatasetAgeSeconds);

/// <summary>
/// Samples the work queues' depth and age every <see cref="MetricsOptions.QueueSampleSeconds"/> with two aggregate
/// queries (count and oldest, on the workers' own claim indexes), and keeps the result for the gauges: a scrape never
/// queries the database.
/// </summary>
public sealed class QueueSampler(IServiceScopeFactory scopes, IOptions<MetricsOptions> options, TimeProvider time, ILogger<QueueSampler> logger)
    : PeriodicWork
{
    public QueueSample Current { get; private set; } = new(0, 0, 0, 0);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.QueueSampleSeconds);

    public override async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
            var now = time.GetUtcNow().UtcDateTime;
            var deliveries = await db.WebhookDeliveries.IgnoreQueryFilters().Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
                .GroupBy(_ => 1).Select(g => new { Count = g.LongCount(), Oldest = g.Min(d => d.NextAttemptAt) }).ToListAsync(ct);
            var datasets = await db.Datasets.IgnoreQueryFilters().Where(d => d.Status == DatasetStatus.Queued && d.NextAttemptAt <= now)
                .GroupBy(_ => 1).Select(g => new { Count = g.LongCount(), Oldest = g.Min(d => d.NextAttemptAt) }).ToListAsync(ct);
            Current = new QueueSample(
                deliveries.Sum(d => d.Count), deliveries.Count == 0 ? 0 : Math.Max(0, (now - deliveries[0].Oldest).TotalSeconds),
                datasets.Sum(d => d.Count), datasets.Count == 0 ? 0 : Math.Max(0, (now - datasets[0].Oldest).TotalSeconds));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Sampling the queues for metrics failed; the gauges keep their last values.");
        }
    }
}
