using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Monitoring;

/// <summary>
/// One integration's last 24 hours for this client: authorizations that ended (linked or failed; a customer's own cancel
/// is not the platform's fault and is left out) and datasets that finished (complete or in error).
/// </summary>
public sealed record PlatformHealthFigure(string PlatformKey, string Name, long Authorizations, long AuthorizationFailures,
    double AuthorizationFailureRate, long Syncs, long SyncErrors, double SyncErrorRate, bool Degraded);

public sealed record PlatformHealthReport(DateTime Since, IReadOnlyList<PlatformHealthFigure> Integrations);

/// <summary>
/// Each integration's recent authorization failure rate and sync error rate. Degraded: at least
/// <see cref="MinimumSample"/> outcomes and <see cref="DegradedRate"/> % or more of them failed, on either measure, so
/// one unlucky attempt never marks a platform.
/// </summary>
public sealed class PlatformHealth(ConsentryDbContext db, IntegrationCatalogue catalogue, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);
    public const int MinimumSample = 5;
    public const double DegradedRate = 30;

    private static readonly DatasetStatus[] Errored =
    [
        DatasetStatus.FetchError, DatasetStatus.AuthError, DatasetStatus.RateLimitError, DatasetStatus.InternalError,
        DatasetStatus.PermissionsError, DatasetStatus.MapError, DatasetStatus.ProcessingError, DatasetStatus.ValidationError,
    ];

    public async Task<PlatformHealthReport> RunAsync(CancellationToken ct)
    {
        var since = time.GetUtcNow().UtcDateTime - Window;
        var auth = await db.JourneyEvents.AsNoTracking()
            .Where(e => e.At >= since && e.PlatformKey != null
                        && (e.Step == JourneyStep.Authorized || (e.Step == JourneyStep.Failed && e.Detail != "cancelled")))
            .GroupBy(e => new { e.PlatformKey, e.Step }).Select(g => new { g.Key.PlatformKey, g.Key.Step, Count = g.LongCount() })
            .ToListAsync(ct);
        var syncs = await (from d in db.Datasets.AsNoTracking()
                join c in db.Connections.AsNoTracking() on d.ConnectionId equals c.Id
                where d.Completed >= since && (d.Status == DatasetStatus.Complete || Errored.Contains(d.Status))
                group d by new { c.PlatformKey, Error = d.Status != DatasetStatus.Complete } into g
                select new { g.Key.PlatformKey, g.Key.Error, Count = g.LongCount() })
            .ToListAsync(ct);

        var keys = auth.Select(a => a.PlatformKey!).Concat(syncs.Select(s => s.PlatformKey)).Distinct().Order(StringComparer.Ordinal);
        var figures = keys.Select(key =>
        {
            var failed = auth.Where(a => a.PlatformKey == key && a.Step == JourneyStep.Failed).Sum(a => a.Count);
            var authorizations = failed + auth.Where(a => a.PlatformKey == key && a.Step == JourneyStep.Authorized).Sum(a => a.Count);
            var errors = syncs.Where(s => s.PlatformKey == key && s.Error).Sum(s => s.Count);
            var finished = errors + syncs.Where(s => s.PlatformKey == key && !s.Error).Sum(s => s.Count);
            var (authRate, syncRate) = (AuthFlowQuery.Percent(failed, authorizations), AuthFlowQuery.Percent(errors, finished));
            var degraded = (authorizations >= MinimumSample && authRate >= DegradedRate) || (finished >= MinimumSample && syncRate >= DegradedRate);
            return new PlatformHealthFigure(key, catalogue.Find(key)?.Name ?? key, authorizations, failed, authRate, finished, errors, syncRate, degraded);
        }).ToList();
        return new PlatformHealthReport(since, figures);
    }
}

/// <summary>The Link pages' question, asked once per request: which integrations are degraded for this page's client.</summary>
public sealed class LinkPlatformNotices(PlatformHealth health)
{
    private HashSet<string>? _degraded;

    public async Task<bool> IsDegradedAsync(string platformKey, CancellationToken ct = default)
    {
        _degraded ??= [.. (await health.RunAsync(ct)).Integrations.Where(i => i.Degraded).Select(i => i.PlatformKey)];
        return _degraded.Contains(platformKey);
    }
}

internal static class PlatformHealthEndpoints
{
    public static async Task<Ok<PlatformHealthReport>> Get(PlatformHealth health, CancellationToken ct) => TypedResults.Ok(await health.RunAsync(ct));
}
