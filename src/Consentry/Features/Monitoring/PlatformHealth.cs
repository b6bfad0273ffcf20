using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

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

/// <summary>
/// The Link pages' question, asked once per request: which integrations are degraded for this page's client. The answer
/// is kept per client for <see cref="DegradedPlatformsCache.Lifetime"/> on this instance: platform health reads the
/// client's last 24 hours of journey events and finished datasets, which grow with its traffic, and a connect page must
/// not cost more on a busy day. The portal's report (<c>GET /monitoring/platformHealth</c>) is always read afresh.
/// </summary>
public sealed class LinkPlatformNotices(PlatformHealth health, Core.Tenancy.IClientContext client, DegradedPlatformsCache cache)
{
    private IReadOnlySet<string>? _degraded;

    public async Task<bool> IsDegradedAsync(string platformKey, CancellationToken ct = default)
    {
        _degraded ??= await cache.GetAsync(client.ClientId, async () =>
            (await health.RunAsync(ct)).Integrations.Where(i => i.Degraded).Select(i => i.PlatformKey).ToHashSet(StringComparer.Ordinal));
        return _degraded.Contains(platformKey);
    }
}

/// <summary>
/// Each client's degraded integrations, per instance, for <see cref="Lifetime"/> by the app's clock: a platform that
/// starts failing is flagged on the connect page within that time. Bounded; idle clients' entries go after 10 minutes.
/// </summary>
public sealed class DegradedPlatformsCache(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public async ValueTask<IReadOnlySet<string>> GetAsync(Guid? clientId, Func<Task<HashSet<string>>> load)
    {
        if (clientId is not { } id)
        {
            return await load();
        }

        var now = time.GetUtcNow();
        if (_cache.TryGetValue(id, out Entry? entry) && now - entry!.At < Lifetime)
        {
            return entry.Degraded;
        }

        var degraded = await load();
        _cache.Set(id, new Entry(now, degraded), new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return degraded;
    }

    public void Dispose() => _cache.Dispose();

    private sealed record Entry(DateTimeOffset At, IReadOnlySet<string> Degraded);
}

internal static class PlatformHealthEndpoints
{
    public static async Task<Ok<PlatformHealthReport>> Get(PlatformHealth health, CancellationToken ct) => TypedResults.Ok(await health.RunAsync(ct));
}
