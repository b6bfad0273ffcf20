namespace Consentry.Sandbox.Data;

/// <summary>A data endpoint of a platform (<c>api/{Path}</c>), opened by one scope.</summary>
internal abstract record DataEndpoint(string Path, string Scope);

/// <summary>A single object, such as the company.</summary>
internal sealed record SingleEndpoint(string Path, string Scope, Func<UserSeed, object> Get) : DataEndpoint(Path, Scope);

/// <summary>
/// A paginated collection generated on demand: <see cref="Count"/> records, each built from its index alone, with a
/// <see cref="Modified"/> date cheap enough to compute for every record when filtering by <c>modifiedSince</c>.
/// </summary>
internal sealed record CollectionEndpoint(
    string Path,
    string Scope,
    int Tag,
    Func<UserSeed, int> Count,
    Func<UserSeed, int, DateTime> Modified,
    Func<UserSeed, int, DateTime, object> Item) : DataEndpoint(Path, Scope);

/// <summary>The fixed window the generated history lies in, so that data never depends on when it is read.</summary>
internal static class DataWindow
{
    public static readonly DateTime Start = new(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime End = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static TimeSpan Length => End - Start;

    /// <summary>The i-th of n points spread through the window, with a little jitter (ids stay in date order).</summary>
    public static DateTime Spread(int index, int count, ref Rng rng)
    {
        var slot = Length.Ticks / Math.Max(count, 1);
        return Start.AddTicks((slot * index) + (long)(rng.Next() % (ulong)Math.Max(slot, 1)));
    }

    public static DateTime Clamp(DateTime value) => value > End ? End : value;

    /// <summary>Whole seconds: dates round-trip through ISO 8601 text exactly.</summary>
    public static DateTime Seconds(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
