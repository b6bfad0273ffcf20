using Consentry.Core.Persistence;
using Consentry.Core.Tenancy;
using Consentry.Infrastructure.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consentry.Features.Sync;

/// <summary>Wakes this instance's sync worker when datasets are queued here.</summary>
public sealed class SyncSignal : WorkSignal;

/// <summary>
/// Runs on every instance: queues the reads whose schedule came round, and reads claimed datasets, up to
/// <see cref="SyncOptions.MaxConcurrency"/> at a time. Each read runs in its own scope acting for the dataset's client,
/// so the tenant filter applies to the worker as to a request. Claims are short leases that a heartbeat
/// (<see cref="LeaseKeeper"/>) renews while the read runs, so a dead instance's reads resume within one lease elsewhere.
/// </summary>
public sealed class SyncWorker(
    IServiceScopeFactory scopes, SyncSignal signal, IOptionsMonitor<SyncOptions> options, TimeProvider time, ILogger<SyncWorker> logger)
    : BackgroundService
{
    /// <summary>This process's name in leases: host, process id and a random suffix.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    private long _claims;
    private LeaseKeeper? _keeper;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.CurrentValue;
        if (!settings.RunWorker)
        {
            return;
        }

        await Task.Yield();
        var keeper = _keeper = new LeaseKeeper(RenewAsync, time, TimeSpan.FromSeconds(settings.LeaseSeconds), logger);
        var heartbeat = keeper.RunAsync(stoppingToken);
        using var slots = new SemaphoreSlim(settings.MaxConcurrency, settings.MaxConcurrency);
        var reading = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await QueueDueSchedulesAsync(stoppingToken);
                await slots.WaitAsync(stoppingToken);
                var held = 1;
                while (slots.Wait(0, CancellationToken.None))
                {
                    held++;
                }

                List<(Guid Id, Guid ClientId, string Owner, CancellationToken Lease)> claimed;
                try
                {
                    claimed = await ClaimAsync(held, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(e, "Claiming datasets failed; retrying.");
                    claimed = [];
                }

                if (held > claimed.Count)
                {
                    slots.Release(held - claimed.Count);
                }

                reading.RemoveAll(t => t.IsCompleted);
                reading.AddRange(claimed.Select(c => ReadAsync(c.Id, c.ClientId, c.Owner, slots, c.Lease, stoppingToken)));
                if (claimed.Count == 0)
                {
                    await signal.WaitAsync(TimeSpan.FromMilliseconds(settings.PollMilliseconds), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: unfinished reads resume elsewhere (or after restart) when their lease runs out.
        }
        finally
        {
            await Task.WhenAll(reading);
            await heartbeat;
        }
    }

    /// <summary>The heartbeat's renewal of every dataset lease this instance holds: one statement.</summary>
    private async Task<IReadOnlyCollection<Guid>> RenewAsync(IReadOnlyCollection<(Guid Id, string Token)> held, DateTime until, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await LeaseRenewal.RenewAsync(scope.ServiceProvider.GetRequiredService<ConsentryDbContext>(), LeaseRenewal.Datasets, held, until, ct);
    }

    /// <summary>
    /// Claims due datasets under a token unique to this claim (<c>{instance}#{n}</c>), so that if a lease runs out while
    /// its read is still going (a stalled page), the next claim, even by this same instance, fences the old read out.
    /// </summary>
    private async Task<List<(Guid, Guid, string, CancellationToken)>> ClaimAsync(int limit, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
        var owner = $"{InstanceId}#{Interlocked.Increment(ref _claims)}";
        var until = time.GetUtcNow().UtcDateTime + _keeper!.Lease;
        var ids = await SyncClaims.DatasetsAsync(db, owner, limit, until - _keeper.Lease, _keeper.Lease, _keeper.HeldIds, ct);
        if (ids.Count == 0)
        {
            return [];
        }

        // The worker serves every client, so the claim reads past the tenant filter on purpose; each read then acts for one.
        var owners = await db.Datasets.IgnoreQueryFilters().AsNoTracking().Where(d => ids.Contains(d.Id)).Select(d => new { d.Id, d.ClientId }).ToListAsync(ct);
        return [.. owners.Select(o => (o.Id, o.ClientId, owner, _keeper.Hold(o.Id, owner, until, ct)))];
    }

    private async Task ReadAsync(Guid datasetId, Guid clientId, string owner, SemaphoreSlim slots, CancellationToken ct, CancellationToken stopping)
    {
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["DatasetId"] = datasetId, ["ClientId"] = clientId });
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ClientContext>().Set(clientId);
            await scope.ServiceProvider.GetRequiredService<DatasetReader>().ReadAsync(datasetId, owner, ct);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping mid-read: the next claim resumes at the saved page.
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The lease was lost (not renewed in time, or claimed by another instance): that claim resumes at the saved page.
            logger.LogWarning("The read of dataset {DatasetId} stopped here: its lease was lost.", datasetId);
        }
        catch (Exception e)
        {
            // The lease brings the dataset back; a read that keeps failing this way is a bug worth a loud log.
            logger.LogError(e, "Reading dataset {DatasetId} failed unexpectedly.", datasetId);
        }
        finally
        {
            _keeper!.Release(datasetId, owner);
            slots.Release();
        }
    }

    /// <summary>Queues the reads whose schedule came round, per company, as one read each.</summary>
    private async Task QueueDueSchedulesAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
            var now = time.GetUtcNow().UtcDateTime;
            // A small batch under two leases: queueing it takes well under that, and if this instance dies first the
            // schedules come due again within seconds (SyncQueue skips a data type already queued, should two overlap).
            var ids = await SyncClaims.SchedulesAsync(db, 50, now, 2 * TimeSpan.FromSeconds(options.CurrentValue.LeaseSeconds), ct);
            if (ids.Count == 0)
            {
                return;
            }

            var due = await db.SyncSchedules.IgnoreQueryFilters().AsNoTracking().Where(s => ids.Contains(s.Id))
                .Select(s => new { s.ClientId, s.CompanyId, s.ConnectionId, s.DataType }).ToListAsync(ct);
            foreach (var company in due.GroupBy(s => (s.ClientId, s.CompanyId)))
            {
                await using var companyScope = scopes.CreateAsyncScope();
                companyScope.ServiceProvider.GetRequiredService<ClientContext>().Set(company.Key.ClientId);
                var companyDb = companyScope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
                var queue = companyScope.ServiceProvider.GetRequiredService<SyncQueue>();
                var connectionIds = company.Select(s => s.ConnectionId).Distinct().ToList();
                var connections = await companyDb.Connections.AsNoTracking().Where(c => connectionIds.Contains(c.Id)).ToListAsync(ct);
                var work = connections.Select(c => (c, (IReadOnlyList<string>)[.. company.Where(s => s.ConnectionId == c.Id).Select(s => s.DataType)])).ToList();
                await queue.QueueAsync(company.Key.CompanyId, work, SyncTrigger.Schedule, null, ct);
                await companyDb.SaveChangesAsync(ct);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogError(e, "Queueing scheduled reads failed; they come due again shortly.");
        }
    }
}
