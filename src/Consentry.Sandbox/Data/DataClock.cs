using Microsoft.Extensions.Options;

namespace Consentry.Sandbox.Data;

/// <summary>
/// The optional "mutation" knob: with <see cref="SandboxOptions.MutationInterval"/> set, every interval after start
/// one record in <see cref="Period"/> of each collection is touched (its modifiedDate moves to that tick), so
/// incremental reads find changes as the clock moves. Record i is touched in the intervals k where
/// (k + i + userOffset) % Period == 0: O(1) per record, and no stored state.
/// </summary>
internal sealed class DataClock(TimeProvider time, IOptions<SandboxOptions> options)
{
    public const int Period = 100;

    private readonly DateTimeOffset _start = time.GetUtcNow();
    private readonly TimeSpan? _interval = options.Value.MutationInterval;

    public DateTimeOffset Now => time.GetUtcNow();

    public DateTime ModifiedDate(UserSeed seed, int tag, int index, DateTime generated, DateTimeOffset now)
    {
        if (_interval is not { } interval || now <= _start)
        {
            return generated;
        }

        var ticks = (now - _start).Ticks / interval.Ticks;
        var offset = (index + seed.For(tag + 5000, -1).Int(Period)) % Period;
        var lastTouched = ticks - ((ticks + offset) % Period);
        if (lastTouched < 1)
        {
            return generated;
        }

        var touched = DataWindow.Seconds((_start + (interval * lastTouched)).UtcDateTime);
        return touched > generated ? touched : generated;
    }
}
