using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Consentry.Api.Tests.Infrastructure;

/// <summary>
/// The hosts' clock in tests: Microsoft's <see cref="FakeTimeProvider"/>, started at the real now and kept moving with
/// the real clock, which tests move further by hand with <see cref="Advance"/>. A frozen clock does not fit a running
/// host: its workers, leases and retry delays (<c>Task.Delay(…, time)</c>) expect time to pass.
/// <para>
/// The package's timers do the work: a pump feeds them the real time that passed every few milliseconds, and a test's
/// <see cref="Advance"/> at once, so a delay ends as a real one would, or right away when a test jumps past it. A read
/// is the start plus the real time elapsed plus what tests advanced, so it has the real clock's resolution and never
/// goes backwards (rows written one after the other keep distinct, ordered stamps). Reads never go through the base
/// class: its <c>GetUtcNow</c> also runs due timers on the reading thread (possibly one inside a database transaction),
/// and so would <c>AutoAdvanceAmount</c>.
/// </para>
/// </summary>
public sealed class RunningFakeTime : FakeTimeProvider, IDisposable
{
    private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(5);
    private readonly Stopwatch _real = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private readonly Timer _pump;
    private long _advancedTicks;
    private DateTimeOffset _fed;

    public RunningFakeTime()
        : base(DateTimeOffset.UtcNow)
    {
        _fed = Start;
        _pump = new Timer(_ => Feed(), null, PumpInterval, PumpInterval);
    }

    public override DateTimeOffset GetUtcNow() => Start + _real.Elapsed + TimeSpan.FromTicks(Interlocked.Read(ref _advancedTicks));

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>Moves the clock ahead; timers that fall due in the jump fire now.</summary>
    public new void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _advancedTicks, by.Ticks);
        Feed();
    }

    public void Dispose() => _pump.Dispose();

    /// <summary>Brings the package's time (what its timers see) up to <see cref="GetUtcNow"/>.</summary>
    private void Feed()
    {
        TimeSpan delta;
        lock (_gate)
        {
            var now = GetUtcNow();
            delta = now - _fed;
            if (delta <= TimeSpan.Zero)
            {
                return;
            }

            _fed = now;
        }

        // Outside the lock: due timers run their callbacks on this thread, and they may read the clock or feed it.
        base.Advance(delta);
    }
}
