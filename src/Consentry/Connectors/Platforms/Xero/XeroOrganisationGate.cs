using System.Collections.Concurrent;

namespace Consentry.Connectors.Platforms.Xero;

/// <summary>
/// Xero's per-organisation limits as the connector keeps them: at most <see cref="ConcurrentCalls"/> calls in flight per
/// tenant (Xero allows five; the sync worker reads a connection's data types in parallel), and once Xero answers 429
/// every call to that tenant waits until its Retry-After has passed instead of spending more of the minute's or day's
/// allowance. One instance per process (a singleton).
/// </summary>
public sealed class XeroOrganisationGate(TimeProvider time)
{
    public const int ConcurrentCalls = 5;

    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<string, Tenant> _tenants = new(StringComparer.OrdinalIgnoreCase);

    public async Task<PlatformAnswer> SendAsync(string tenantId, Func<Task<PlatformAnswer>> send, CancellationToken ct)
    {
        var tenant = _tenants.GetOrAdd(tenantId, _ => new Tenant());
        var now = time.GetUtcNow();
        var pausedUntil = new DateTimeOffset(Interlocked.Read(ref tenant.PausedUntilTicks), TimeSpan.Zero);
        if (pausedUntil - now > ShortestWait)
        {
            // Another read of this organisation was told to wait: so is this one (the reader honours it).
            return new PlatformAnswer(null, null, new DataPage.RateLimited(pausedUntil - now));
        }

        if (pausedUntil > now)
        {
            // The pause is all but over (the reader's timer and this clock differ by a few milliseconds): wait it out here
            // rather than count one more rate-limit wait against the read.
            await Task.Delay(pausedUntil - now, time, ct);
        }

        await tenant.Slots.WaitAsync(ct);
        try
        {
            var answer = await send();
            if (answer.Problem is DataPage.RateLimited limited)
            {
                var until = time.GetUtcNow() + limited.RetryAfter;
                long seen;
                do
                {
                    seen = Interlocked.Read(ref tenant.PausedUntilTicks);
                }
                while (until.UtcTicks > seen && Interlocked.CompareExchange(ref tenant.PausedUntilTicks, until.UtcTicks, seen) != seen);
            }

            return answer;
        }
        finally
        {
            tenant.Slots.Release();
        }
    }

    /// <remarks>Lives as long as the process (one per organisation read), so its semaphore is never disposed.</remarks>
#pragma warning disable CA1001
    private sealed class Tenant
#pragma warning restore CA1001
    {
        public readonly SemaphoreSlim Slots = new(ConcurrentCalls, ConcurrentCalls);
        public long PausedUntilTicks;
    }
}
