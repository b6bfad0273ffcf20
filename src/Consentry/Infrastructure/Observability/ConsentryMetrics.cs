using System.Diagnostics.Metrics;
using Consentry.Core.Link;
using Consentry.Core.Sync;

namespace Consentry.Infrastructure.Observability;

/// <summary>
/// Consentry's own instruments on the <c>Consentry</c> meter (made by the host's <see cref="IMeterFactory"/>, so each host
/// has its own). Every metric is listed in docs/observability.md; tag values are bounded sets (steps, integrations,
/// data types, statuses), never ids.
/// </summary>
public sealed class ConsentryMetrics
{
    public const string MeterName = "Consentry";

    /// <summary>5 ms to 10 s: the exporter's default buckets are meant for milliseconds.</summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly Counter<long> _journeySteps;
    private readonly Counter<long> _deliveryAttempts;
    private readonly Histogram<double> _deliveryDuration;
    private readonly Counter<long> _datasets;
    private readonly Counter<long> _records;
    private readonly Counter<long> _pages;

    public ConsentryMetrics(IMeterFactory meters, QueueSampler queues)
    {
        var meter = meters.Create(MeterName);
        _journeySteps = meter.CreateCounter<long>("consentry.journey.steps", "{step}", "Link journey steps taken (opened, authorized, failed, ...), by step and integration.");
        _deliveryAttempts = meter.CreateCounter<long>("consentry.webhook.delivery.attempts", "{attempt}", "Webhook delivery attempts, by outcome (succeeded, failed, error) and event type.");
        _deliveryDuration = meter.CreateHistogram("consentry.webhook.delivery.duration", "s", "How long a webhook delivery attempt took, by outcome.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _datasets = meter.CreateCounter<long>("consentry.sync.datasets", "{dataset}", "Datasets (one data type's read) ended, by data type and final status.");
        _records = meter.CreateCounter<long>("consentry.sync.records", "{record}", "Records stored in the cache by reads, by data type.");
        _pages = meter.CreateCounter<long>("consentry.sync.pages", "{page}", "Pages read from platforms and stored, by data type.");
        meter.CreateObservableGauge("consentry.webhook.deliveries.due", () => queues.Current.DeliveriesDue, "{delivery}", "Webhook deliveries due now and not yet sent (sampled).");
        meter.CreateObservableGauge("consentry.webhook.deliveries.oldest_due_age", () => queues.Current.OldestDeliveryAgeSeconds, "s", "Age of the longest-waiting due webhook delivery (sampled).");
        meter.CreateObservableGauge("consentry.sync.datasets.queued", () => queues.Current.DatasetsQueued, "{dataset}", "Datasets queued and due for reading (sampled).");
        meter.CreateObservableGauge("consentry.sync.datasets.oldest_queued_age", () => queues.Current.OldestDatasetAgeSeconds, "s", "Age of the longest-waiting queued dataset (sampled).");
    }

    public void JourneyStep(JourneyStep step, string? integration) =>
        _journeySteps.Add(1, new("step", step.ToString()), new("integration", integration ?? "none"));

    /// <summary>One attempt: <paramref name="statusCode"/> is null when no answer came (an error rather than a failure).</summary>
    public void DeliveryAttempt(string eventType, bool succeeded, int? statusCode, int durationMs)
    {
        var result = succeeded ? "succeeded" : statusCode is null ? "error" : "failed";
        _deliveryAttempts.Add(1, new("outcome", result), new("event_type", eventType));
        _deliveryDuration.Record(durationMs / 1000.0, new KeyValuePair<string, object?>("outcome", result));
    }

    public void DatasetEnded(string dataType, DatasetStatus status) =>
        _datasets.Add(1, new("data_type", dataType), new("status", status.ToString()));

    public void PageStored(string dataType, int records)
    {
        _pages.Add(1, new KeyValuePair<string, object?>("data_type", dataType));
        _records.Add(records, new KeyValuePair<string, object?>("data_type", dataType));
    }
}
