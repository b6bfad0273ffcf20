using System.Runtime.CompilerServices;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Observability;
using Consentry.Infrastructure.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Consentry.Features.Monitoring;

/// <summary>
/// The monitoring counters follow the save: a <c>SaveChanges</c> that adds journey events also writes their rollups
/// (<see cref="AuthFlowRollups"/>) in the same transaction, so the journey saves its change (a link, a failure, an
/// OAuth flow) once and commits once, and nothing the journey does is committed by monitoring. A save inside the
/// caller's own transaction leaves the commit to the caller; otherwise this save's transaction is opened before the
/// insert and committed after the counters.
/// </summary>
public sealed class AuthFlowRollupsInterceptor(IOptions<ConsentryOptions> options, ConsentryMetrics metrics, Domain.IClientCache clients) : SaveChangesInterceptor
{
    private sealed record Pending(List<JourneyEvent> Events, Dictionary<Guid, ExperimentVariant> Variants, IDbContextTransaction? Owned);

    private static readonly ConditionalWeakTable<DbContext, Pending> Saves = [];

    private bool Sqlite => options.Value.Database.Provider == DatabaseProvider.Sqlite;

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is ConsentryDbContext db)
        {
            var events = AddedEvents(db);
            if (events.Count > 0)
            {
                var variants = await new AuthFlowRollups(db, Sqlite, clients).StampVariantsAsync(events, cancellationToken);
                var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
                if (owned is not null)
                {
                    // The transaction is this save's alone and a failure rolls all of it back: EF's savepoint (taken
                    // when a save finds a transaction open) would be two statements for nothing.
                    db.Database.AutoSavepointsEnabled = false;
                }

                Saves.AddOrUpdate(db, new Pending(events, variants, owned));
            }
        }

        return await base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is ConsentryDbContext db && Saves.TryGetValue(db, out var pending))
        {
            Saves.Remove(db);
            Restore(db, pending);
            try
            {
                await new AuthFlowRollups(db, Sqlite, clients).ApplyAsync(pending.Events, pending.Variants, cancellationToken);
                if (pending.Owned is { } transaction)
                {
                    // The commit-signal interceptors wake the webhook and sync workers when this commits.
                    await transaction.CommitAsync(cancellationToken);
                }
            }
            finally
            {
                // Disposing an uncommitted transaction rolls it back: events and counters are saved together or not at all.
                if (pending.Owned is { } transaction)
                {
                    await transaction.DisposeAsync();
                }
            }

            pending.Events.ForEach(e => metrics.JourneyStep(e.Step, e.PlatformKey));
        }

        return await base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && Saves.TryGetValue(db, out var pending))
        {
            Saves.Remove(db);
            Restore(db, pending);
            if (pending.Owned is { } transaction)
            {
                await transaction.DisposeAsync();
            }
        }

        await base.SaveChangesFailedAsync(eventData, cancellationToken);
    }

    public override async Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && Saves.TryGetValue(db, out var pending))
        {
            Saves.Remove(db);
            Restore(db, pending);
            if (pending.Owned is { } transaction)
            {
                await transaction.DisposeAsync();
            }
        }

        await base.SaveChangesCanceledAsync(eventData, cancellationToken);
    }

    private static void Restore(DbContext db, Pending pending)
    {
        if (pending.Owned is not null)
        {
            db.Database.AutoSavepointsEnabled = true;
        }
    }

    /// <summary>
    /// The journey events this save adds. Events are only ever added through <c>DbSet.Add</c>, which sets their state at
    /// once, so the change tracker's scan of every tracked entity (which <c>Entries</c> runs, and the save runs again
    /// right after) is skipped here.
    /// </summary>
    internal static List<JourneyEvent> AddedEvents(DbContext db) => db.ChangeTracker.AddedEntities<JourneyEvent>();

    /// <summary>Synchronous saves of journey events are not supported: the counters need the async path.</summary>
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context?.ChangeTracker.Entries<JourneyEvent>().Any(e => e.State == EntityState.Added) == true)
        {
            throw new InvalidOperationException("Journey events are saved with SaveChangesAsync, which also counts them.");
        }

        return base.SavingChanges(eventData, result);
    }
}
