using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Consentry.Infrastructure.Work;

/// <summary>
/// Wakes this instance's background worker when new work commits here, so it need not wait for its next poll (other
/// instances find the work by polling the database).
/// </summary>
public abstract class WorkSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a notification or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The poll interval passed.
        }
    }
}

/// <summary>Notifies <typeparamref name="TSignal"/> after a save that added <typeparamref name="TWork"/> rows has committed.</summary>
public sealed class CommitSignalInterceptor<TWork, TSignal>(TSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
    where TWork : class
    where TSignal : WorkSignal
{
    private static readonly ConditionalWeakTable<DbContext, object> Pending = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Mark(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Mark(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Fire(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Fire(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    private static void Mark(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // New rows only: a worker's own recording of finished work must not wake it again. Work rows are only ever added
        // through DbSet.Add/AddRange, which sets their state at once, so the change tracker's scan of every tracked entity
        // (which Entries runs unless told not to, and the save runs again right after) is skipped: two interceptors, two
        // scans less per save.
        if (context.ChangeTracker.WithoutDetectChanges(t => t.Entries<TWork>().Any(e => e.State == EntityState.Added)))
        {
            Pending.AddOrUpdate(context, true);
        }
    }

    private void Fire(DbContext? context)
    {
        // Inside an explicit transaction the commit comes later: the notification waits for it (TransactionCommitted).
        if (context is not null && context.Database.CurrentTransaction is null && Pending.Remove(context))
        {
            signal.Notify();
        }
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context && Pending.Remove(context))
        {
            signal.Notify();
        }
    }

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            Pending.Remove(context);
        }
    }

    public Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }
}
