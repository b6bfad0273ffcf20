using Microsoft.Extensions.Options;

namespace Consentry.Sandbox.Data;

/// <summary>
/// The optional "mutation" knob: with <see cref="SandboxOptions.MutationInterval"/> set, every interval after start
/// about one record in <see cref="Period"/> of each collection is touched (its modifiedDate moves to that tick), so
/// incremental reads find changes as the clock moves. Which records change in which interval is fixed by the seed, so
/// it costs O(1) per record and needs no stored state.
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
        var offset = (long)(seed.For(tag + 5000, index).Next() % Period);
        var lastTouched = ticks - ((ticks + offset) % Period);
        if (lastTouched < 1)
        {
            return generated;
        }

        var touched = DataWindow.Seconds((_start + (interval * lastTouched)).UtcDateTime);
        return touched > generated ? touched : generated;
    }
}
