using System.Data.Common;
using System.Runtime.CompilerServices;
using Consentry.Core.Clients;
using Consentry.Core.Persistence;
using Consentry.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Consentry.Domain;

/// <summary>
/// Keeps <see cref="IClientCache"/> true on this instance: a save that adds, changes or deletes a client row (its
/// profile included), a webhook consumer or an experiment forgets that client's entries once it is durable — after the save, and
/// again at the commit when the save ran inside a transaction (a read between the two may have cached the old row).
/// Bulk statements (<c>ExecuteUpdate</c>/<c>ExecuteDelete</c>) bypass this; their callers call <see cref="IClientCache.Forget"/>.
/// </summary>
internal sealed class ClientCacheInvalidation(IClientCache cache) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, HashSet<Guid>> Pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Mark(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Mark(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Forget(eventData.Context, committed: eventData.Context?.Database.CurrentTransaction is null);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, committed: eventData.Context?.Database.CurrentTransaction is null);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context, committed: true);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, committed: true);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            Pending.Remove(context);
        }
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    private static void Mark(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // Without the full scan of every tracked entity that Entries() runs (the save runs its own right after): only
        // the entries of the types that matter are checked for changes, one by one (issue 18 item 3, round 4).
        context.ChangeTracker.WithoutDetectChanges(tracker =>
        {
            // First the changes of those entries (which may start tracking a replaced profile or an added consumer),
            // then their states.
            foreach (var entry in tracker.Entries().Where(e => Matters(e) && e.State == EntityState.Unchanged).ToList())
            {
                entry.DetectChanges();
            }

            Mark(context, [.. tracker.Entries().Where(Matters)]);
        });
    }

    private static bool Matters(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry) =>
        entry.Entity is Client or WebhookConsumer or Core.Link.Experiment or ClientProfile;

    private static void Mark(DbContext context, List<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry> entries)
    {
        HashSet<Guid>? ids = null;
        foreach (var entry in entries)
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            Guid? clientId = entry.Entity switch
            {
                Client c => c.Id,
                WebhookConsumer w => w.ClientId,
                Core.Link.Experiment x => x.ClientId,
                // The profile is owned (same table); its key is the client's id.
                ClientProfile => entry.Metadata.FindPrimaryKey()?.Properties is [var key] ? entry.Property(key.Name).CurrentValue as Guid? : null,
                _ => null,
            };
            if (clientId is { } id)
            {
                (ids ??= Pending.GetValue(context, _ => [])).Add(id);
            }
        }
    }

    private void Forget(DbContext? context, bool committed)
    {
        if (context is null || !Pending.TryGetValue(context, out var ids))
        {
            return;
        }

        foreach (var id in ids)
        {
            cache.Forget(id);
        }

        if (committed)
        {
            Pending.Remove(context);
        }
    }
}
