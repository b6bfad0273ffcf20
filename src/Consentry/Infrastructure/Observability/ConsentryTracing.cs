using System.Diagnostics;

namespace Consentry.Infrastructure.Observability;

/// <summary>
/// Consentry's one <see cref="ActivitySource"/>, and how background work continues the trace that queued it: the
/// queueing activity's W3C <c>traceparent</c> is stored with the work (a dataset, a webhook event) and the worker starts
/// its span as that activity's child, so the Link callback, its token exchange, the reads it queued and the webhooks they
/// raised are one trace.
/// </summary>
public static class ConsentryTracing
{
    public const string SourceName = "Consentry";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The current activity's <c>traceparent</c>, to store with work queued now; null when nothing is traced.</summary>
    public static string? CurrentParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>Starts a span that continues <paramref name="traceParent"/> (stored by <see cref="CurrentParent"/>), or a new trace without one.</summary>
    public static Activity? StartContinuing(string name, string? traceParent, ActivityKind kind = ActivityKind.Internal)
    {
        // Background work must not become a child of whatever activity happens to flow into the worker's loop.
        Activity.Current = null;
        return traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent)
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind);
    }
}
