namespace Consentry.Sandbox.Data;

/// <summary>A data endpoint of a platform (<c>api/{Path}</c>), opened by one scope.</summary>
internal abstract record DataEndpoint(string Path, string Scope);

/// <summary>A single object, such as the company.</summary>
internal sealed record SingleEndpoint(string Path, string Scope, Func<UserSeed, object> Get) : DataEndpoint(Path, Scope);

/// <summary>What the control API may do to a collection's records.</summary>
internal enum CollectionControl
{
    AddAndChange,

    /// <summary>Records can be changed, not added (their number follows from something else).</summary>
    ChangeOnly,

    /// <summary>Neither: the records are derived from another collection (balances).</summary>
    None,
}

/// <summary>
/// A paginated collection generated on demand: <see cref="Count"/> records, each built from its index alone, with a
/// <see cref="Modified"/> date cheap enough to compute for every record when filtering by <c>modifiedSince</c>. The id of
/// record i is <c>seed.Id(Tag, i)</c>, for any i, also beyond Count (records the control API adds).
/// </summary>
internal sealed record CollectionEndpoint(
    string Path,
    string Scope,
    int Tag,
    Func<UserSeed, int> Count,
    Func<UserSeed, int, DateTime> Modified,
    Func<UserSeed, int, DateTime, object> Item,
    CollectionControl Control = CollectionControl.AddAndChange) : DataEndpoint(Path, Scope);

/// <summary>The fixed window the generated history lies in, so that data never depends on when it is read.</summary>
internal static class DataWindow
{
    public static readonly DateTime Start = new(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime End = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static TimeSpan Length => End - Start;

    /// <summary>
    /// The i-th of n points spread through the window, with a little jitter (ids stay in date order). Records beyond n
    /// (added by the control API) sit at the window's end.
    /// </summary>
    public static DateTime Spread(int index, int count, ref Rng rng)
    {
        var slot = Length.Ticks / Math.Max(count, 1);
        var jitter = (long)(rng.Next() % (ulong)Math.Max(slot, 1));
        return index >= count ? End : Start.AddTicks((slot * index) + jitter);
    }

    public static DateTime Clamp(DateTime value) => value > End ? End : value;

    /// <summary>Whole seconds: dates round-trip through ISO 8601 text exactly.</summary>
    public static DateTime Seconds(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
