using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Consentry.Api.Tests.Infrastructure;

/// <summary>
/// The hosts' clock in tests: Microsoft's <see cref="FakeTimeProvider"/>, started at the real now and kept moving with
/// the real clock, which tests move further by hand with <see cref="FakeTimeProvider.Advance"/>. A frozen clock does
/// not fit a running host: its workers, leases and retry delays (<c>Task.Delay(…, time)</c>) expect time to pass.
/// <para>
/// A pump adds the real time that passed every few milliseconds through <see cref="FakeTimeProvider.Advance"/>, so the
/// package's timers fire as real ones would, and at once when a test jumps ahead. Between pumps a read adds the real
/// time not yet pumped, so the clock has the real clock's resolution and never goes backwards (rows written one after
/// the other keep distinct, ordered stamps). Not <c>AutoAdvanceAmount</c>: it would fire due timers inline on whatever
/// thread reads the clock, possibly one inside a database transaction.
/// </para>
/// </summary>
public sealed class RunningFakeTime : FakeTimeProvider, IDisposable
{
    private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(5);
    private readonly Stopwatch _real = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private readonly Timer _pump;
    private TimeSpan _pumped;
    private DateTimeOffset _last;

    public RunningFakeTime()
        : base(DateTimeOffset.UtcNow) => _pump = new Timer(_ => Pump(), null, PumpInterval, PumpInterval);

    public override DateTimeOffset GetUtcNow()
    {
        // The fake time through GetTimestamp (its ticks), not base.GetUtcNow: that one also runs due timers' callbacks
        // on the reading thread, and only the pump and a test's Advance should.
        var fake = new DateTimeOffset(base.GetTimestamp(), TimeSpan.Zero);
        lock (_gate)
        {
            var now = fake + (_real.Elapsed - _pumped);
            // While a pump is between counting its real time and adding it, a read could see both or neither: never step back.
            _last = now > _last ? now : _last.AddTicks(1);
            return _last;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public void Dispose() => _pump.Dispose();

    private void Pump()
    {
        TimeSpan elapsed;
        lock (_gate)
        {
            elapsed = _real.Elapsed - _pumped;
            _pumped += elapsed;
        }

        // Outside the lock: due timers run their callbacks on this thread, and may read the clock.
        Advance(elapsed);
    }
}
