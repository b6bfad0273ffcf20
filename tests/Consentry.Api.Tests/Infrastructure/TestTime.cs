namespace Consentry.Api.Tests.Infrastructure;

/// <summary>A clock the tests move by hand (Microsoft.Extensions.TimeProvider.Testing is not available here).</summary>
public sealed class TestTime : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
