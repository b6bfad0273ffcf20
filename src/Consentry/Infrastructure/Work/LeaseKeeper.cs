using System.Collections.Concurrent;

namespace Consentry.Infrastructure.Work;

/// <summary>
/// Keeps the short leases of one worker alive while their work runs, so a dead instance's work is free again within
/// one lease (seconds) while a live instance's long piece of work (a slow webhook endpoint, a slow platform page) is
/// never taken from it. Every <see cref="Every"/> (a third of the lease) ONE statement renews all the leases this worker
/// holds (<see cref="Renew"/>, fenced by the claim tokens), however many rows that is: renewal never costs a write per
/// row. Work whose row did not renew (another instance claimed it after it ran out) is cancelled at once; work whose
/// renewal failed (database unreachable) is cancelled before its lease can run out, so the holder stops before another
/// instance may start. Every write that finishes or advances the work is still fenced by the claim token, so a holder
/// that wakes after a long pause cannot overwrite whoever took over.
/// </summary>
public sealed class LeaseKeeper(LeaseKeeper.RenewAll renew, TimeProvider time, TimeSpan lease, ILogger logger)
{
    /// <summary>Renews, until <paramref name="until"/>, the rows of <paramref name="held"/> still claimed under their token; returns those renewed.</summary>
    public delegate Task<IReadOnlyCollection<Guid>> RenewAll(IReadOnlyCollection<(Guid Id, string Token)> held, DateTime until, CancellationToken ct);

    private readonly ConcurrentDictionary<Guid, Held> _held = new();

    /// <summary>The heartbeat: a third of the lease, so two renewals in a row may fail or be late before a lease runs out.</summary>
    public TimeSpan Every { get; } = lease / 3;

    public TimeSpan Lease => lease;

    /// <summary>How many leases this worker holds now.</summary>
    public int Count => _held.Count;

    /// <summary>The rows this worker holds now; its claims skip them even if their lease looks run out (a late heartbeat, a moved test clock).</summary>
    public IReadOnlyCollection<Guid> HeldIds => [.. _held.Keys];

    /// <summary>
    /// Starts keeping the lease of <paramref name="id"/> (claimed under <paramref name="token"/> until <paramref name="until"/>);
    /// the returned token is cancelled when the lease is lost. A newer claim of the same row replaces (and cancels) an older one.
    /// </summary>
    public CancellationToken Hold(Guid id, string token, DateTime until, CancellationToken stopping)
    {
        var held = new Held(token, CancellationTokenSource.CreateLinkedTokenSource(stopping)) { Until = until };
        _held.AddOrUpdate(id, held, (_, old) =>
        {
            old.Lose();
            return held;
        });
        return held.Cancellation.Token;
    }

    /// <summary>Stops keeping the lease (the work ended and its last write released the row).</summary>
    public void Release(Guid id, string token)
    {
        if (_held.TryGetValue(id, out var held) && held.Token == token && _held.TryRemove(new KeyValuePair<Guid, Held>(id, held)))
        {
            held.Cancellation.Dispose();
        }
    }

    /// <summary>The heartbeat loop, until <paramref name="stopping"/>. Its cadence is real time; lease times are <c>time</c>'s.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                await RenewOnceAsync(stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>One renewal of every lease held now.</summary>
    public async Task RenewOnceAsync(CancellationToken ct)
    {
        var snapshot = _held.ToArray();
        if (snapshot.Length == 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var until = now + lease;
        IReadOnlyCollection<Guid> renewed;
        try
        {
            renewed = await renew([.. snapshot.Select(h => (h.Key, h.Value.Token))], until, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Not renewed: work whose lease would run out before the next try stops now, before anyone may take it over.
            logger.LogWarning(e, "Renewing {Count} lease(s) failed; work whose lease runs out before the next renewal stops.", snapshot.Length);
            foreach (var (id, held) in snapshot.Where(h => h.Value.Until <= now + Every))
            {
                Lose(id, held);
            }

            return;
        }

        var kept = renewed as ISet<Guid> ?? renewed.ToHashSet();
        foreach (var (id, held) in snapshot)
        {
            if (kept.Contains(id))
            {
                held.Until = until;
            }
            else if (_held.TryGetValue(id, out var current) && ReferenceEquals(current, held))
            {
                // Claimed elsewhere after it ran out (or ended while this ran): whoever claimed it carries on alone.
                Lose(id, held);
            }
        }
    }

    private void Lose(Guid id, Held held)
    {
        if (_held.TryRemove(new KeyValuePair<Guid, Held>(id, held)))
        {
            logger.LogWarning("The lease of {Id} was lost; its work here stops.", id);
            held.Lose();
        }
    }

    private sealed class Held(string token, CancellationTokenSource cancellation)
    {
        public string Token => token;

        public CancellationTokenSource Cancellation => cancellation;

        public DateTime Until { get; set; }

        public void Lose()
        {
            try
            {
                cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Released meanwhile: nothing left to stop.
            }
        }
    }
}
