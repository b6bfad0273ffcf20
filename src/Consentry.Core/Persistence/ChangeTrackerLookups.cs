using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Consentry.Core.Persistence;

/// <summary>
/// Looks at what a context tracks without the scan of every tracked entity for changes that <c>Entries</c> and
/// <c>Local</c> run first (<c>DetectChanges</c>): for interceptors that run inside a save, which runs its own scan right
/// before or after them (issue 18, journeys rounds 4 and 12).
/// </summary>
public static class ChangeTrackerLookups
{
    /// <summary>
    /// The entities of <typeparamref name="T"/> this context is adding. Exact only for types that are added through
    /// <c>DbSet.Add</c>/<c>AddRange</c> (which sets the state at once), never by reaching them through a navigation.
    /// </summary>
    public static List<T> AddedEntities<T>(this ChangeTracker tracker) where T : class =>
        tracker.WithoutDetectChanges(t => t.Entries<T>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList());

    /// <summary>Runs <paramref name="look"/> with automatic change detection off, and restores it after.</summary>
    public static void WithoutDetectChanges(this ChangeTracker tracker, Action<ChangeTracker> look) =>
        tracker.WithoutDetectChanges(t =>
        {
            look(t);
            return true;
        });

    /// <summary>Runs <paramref name="look"/> with automatic change detection off, and restores it after.</summary>
    public static TResult WithoutDetectChanges<TResult>(this ChangeTracker tracker, Func<ChangeTracker, TResult> look)
    {
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return look(tracker);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }
}
