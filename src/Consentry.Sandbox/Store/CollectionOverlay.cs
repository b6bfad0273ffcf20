using System.Collections.Immutable;

namespace Consentry.Sandbox.Store;

/// <summary>A run of records the control API added or changed together: it ends before <see cref="End"/>, at <see cref="At"/>.</summary>
internal readonly record struct ControlBatch(int End, DateTime At);

/// <summary>
/// What the control API did to one user's collection, on top of the generated records, in O(calls) space: records
/// added after the generated ones (numbered from 0 after them), and how many records from index 0 up were changed.
/// Changes always take the lowest indexes not yet changed, so the changed records are always a prefix [0, Changed).
/// Immutable: the store swaps whole values, so a data request reads one consistent snapshot.
/// </summary>
internal sealed record CollectionOverlay(int Added, ImmutableArray<ControlBatch> Adds, int Changed, ImmutableArray<ControlBatch> Changes)
{
    public static CollectionOverlay Empty { get; } = new(0, [], 0, []);

    public int Count(int generated) => generated + Added;

    /// <summary>The modifiedDate the control API gave record <paramref name="index"/>, or null when it is as generated.</summary>
    public DateTime? Modified(int index, int generated) =>
        index < Changed ? Find(Changes, index)
        : index >= generated ? Find(Adds, index - generated)
        : null;

    /// <summary>
    /// Adds <paramref name="add"/> records, then changes up to <paramref name="change"/> of the records not yet changed
    /// (fewer when fewer are left), both at <paramref name="at"/>.
    /// </summary>
    public CollectionOverlay Apply(int generated, int add, int change, DateTime at)
    {
        var adds = add > 0 ? Adds.Add(new ControlBatch(Added + add, at)) : Adds;
        var added = Added + add;
        var changing = Math.Min(change, generated + added - Changed);
        var changes = changing > 0 ? Changes.Add(new ControlBatch(Changed + changing, at)) : Changes;
        return new CollectionOverlay(added, adds, Changed + changing, changes);
    }

    /// <summary>The batch holding position <paramref name="position"/>: the first whose End lies beyond it.</summary>
    private static DateTime Find(ImmutableArray<ControlBatch> batches, int position)
    {
        int low = 0, high = batches.Length - 1;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (batches[middle].End > position)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return batches[low].At;
    }
}

/// <summary>Counters of one user at one platform since the process started.</summary>
internal sealed record UserStats(long DataRequests, long TokenRefreshes, long RateLimited, long Failed);
