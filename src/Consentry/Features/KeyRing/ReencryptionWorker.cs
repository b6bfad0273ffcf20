using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Microsoft.EntityFrameworkCore;
using Consentry.Infrastructure.Work;
using Microsoft.Extensions.Options;

namespace Consentry.Features.KeyRing;

/// <summary>
/// Runs on every instance; one at a time works (a short lease on the rotation row, renewed every batch and by a
/// heartbeat while the job runs, so a dead instance's job resumes elsewhere within one lease). It walks every table of
/// <see cref="CiphertextTable.All"/> in key order, one batch per transaction together with its cursor, so a stopped job
/// resumes at the batch it was in. A walk that rewrote anything (or lost a row to a concurrent writer) is followed by
/// another; the rotation ends after a walk that found every ciphertext under the new key, and only then may it revoke
/// the old keys.
/// </summary>
public sealed class ReencryptionWorker(
    IServiceScopeFactory scopes, KeySignal signal, RefreshableKeyManager keys, IOptionsMonitor<KeyOptions> options, TimeProvider time,
    ILogger<ReencryptionWorker> logger) : BackgroundService
{
    public string InstanceId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    private readonly LeaseKeeper _keeper = new(
        (held, until, ct) => RenewAsync(scopes, held, until, ct), time, TimeSpan.FromSeconds(options.CurrentValue.LeaseSeconds), logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.RunWorker)
        {
            return;
        }

        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = false;
            try
            {
                worked = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // The lease runs out and the job resumes at its cursor, here or elsewhere.
            }
            catch (Exception e)
            {
                logger.LogError(e, "The re-encryption job failed; it resumes at its cursor.");
            }

            if (!worked)
            {
                try
                {
                    await signal.WaitAsync(TimeSpan.FromMilliseconds(options.CurrentValue.PollMilliseconds), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Claims the newest unfinished rotation and works on it until one walk ends or the lease is lost. The tests stop it
    /// after <paramref name="maxBatches"/> batches, leaving the lease held, as a crash would.
    /// </summary>
    public async Task<bool> RunOnceAsync(CancellationToken ct, int maxBatches = int.MaxValue)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var rotation = await db.KeyRotations.AsNoTracking().Where(r => r.Completed == null).OrderByDescending(r => r.Requested).FirstOrDefaultAsync(ct);
        if (rotation is null)
        {
            return false;
        }

        var lease = _keeper.Lease;
        var claimed = await db.KeyRotations
            .Where(r => r.Id == rotation.Id && r.Completed == null && (r.LeaseExpires == null || r.LeaseExpires < now || r.LeaseOwner == InstanceId))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, InstanceId).SetProperty(r => r.LeaseExpires, now + lease), ct);
        if (claimed == 0)
        {
            return false;
        }

        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["KeyRotationId"] = rotation.Id });
        using var stopHeartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var held = _keeper.Hold(rotation.Id, InstanceId, now + lease, ct);
        var heartbeat = _keeper.RunAsync(stopHeartbeat.Token);
        try
        {
            return await WorkAsync(scope.ServiceProvider, db, rotation, maxBatches, held);
        }
        catch (OperationCanceledException) when (held.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            logger.LogWarning("The re-encryption job stopped here: its lease was lost.");
            return true; // whoever holds it now carries on
        }
        finally
        {
            _keeper.Release(rotation.Id, InstanceId);
            await stopHeartbeat.CancelAsync();
            await heartbeat;
        }
    }

    private static async Task<IReadOnlyCollection<Guid>> RenewAsync(
        IServiceScopeFactory scopes, IReadOnlyCollection<(Guid Id, string Token)> held, DateTime until, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await LeaseRenewal.RenewAsync(scope.ServiceProvider.GetRequiredService<ConsentryDbContext>(), LeaseRenewal.KeyRotations, held, until, ct);
    }

    /// <summary>The job's work once claimed: one walk, or until the lease is lost (then <paramref name="ct"/> is cancelled).</summary>
    private async Task<bool> WorkAsync(IServiceProvider services, ConsentryDbContext db, KeyRotation rotation, int maxBatches, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // An older unfinished rotation is superseded: this one moves everything to a newer key anyway.
        await db.KeyRotations.Where(r => r.Completed == null && r.Id != rotation.Id && r.Requested <= rotation.Requested)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Completed, now).SetProperty(r => r.Outcome, $"Superseded by rotation {rotation.Id}."), ct);

        var secrets = services.GetRequiredService<SecretProtector>();
        if (!await SeesNewKeyAsync(secrets, rotation.NewKeyId, ct))
        {
            logger.LogWarning("This instance does not yet use key {KeyId} as its default; the job waits.", rotation.NewKeyId);
            return false;
        }

        logger.LogInformation("Re-encrypting under key {KeyId}, walk {Pass}.", rotation.NewKeyId, rotation.Pass + 1);
        var reencryptor = new Reencryptor(secrets, rotation.NewKeyId);
        var budget = new Budget { Left = maxBatches };
        foreach (var table in CiphertextTable.All)
        {
            if (!await WalkAsync(db, rotation.Id, table, reencryptor, budget, ct))
            {
                return true; // lease lost: whoever holds it now carries on
            }
        }

        await EndWalkAsync(db, rotation.Id, ct);
        return true;
    }

    /// <summary>Data Protection refreshes its cached ring in the background, so the probe is tried a few times (bounded).</summary>
    private async Task<bool> SeesNewKeyAsync(SecretProtector secrets, Guid newKeyId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (ProtectedPayload.KeyIdOf(secrets.Protect("probe")) == newKeyId)
            {
                return true;
            }

            keys.Refresh();
            await Task.Delay(100, ct);
        }

        return false;
    }

    private async Task<bool> WalkAsync(ConsentryDbContext db, Guid rotationId, CiphertextTable table, Reencryptor reencryptor, Budget budget, CancellationToken ct)
    {
        var cursor = await db.KeyRotationCursors.AsNoTracking().SingleOrDefaultAsync(c => c.RotationId == rotationId && c.TableName == table.Name, ct);
        if (cursor is null)
        {
            cursor = new KeyRotationCursor { RotationId = rotationId, TableName = table.Name };
            db.KeyRotationCursors.Add(cursor);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }

        var after = cursor.After;
        var done = cursor.Done;
        var size = options.CurrentValue.BatchSize;
        while (!done)
        {
            ct.ThrowIfCancellationRequested();
            if (budget.Left-- <= 0)
            {
                return false;
            }

            var now = time.GetUtcNow().UtcDateTime;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Renewing first takes the row's lock for the batch; a lease lost to another instance ends this walk here.
            var held = await db.KeyRotations.Where(r => r.Id == rotationId && r.LeaseOwner == InstanceId && r.Completed == null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpires, now + TimeSpan.FromSeconds(options.CurrentValue.LeaseSeconds)), ct);
            if (held == 0)
            {
                return false;
            }

            var batch = await table.RewriteBatchAsync(db, after, size, reencryptor, ct);
            after = batch.Last ?? after;
            done = batch.Read < size;
            var changed = batch.Rewritten + batch.Conflicts;
            await db.KeyRotationCursors.Where(c => c.RotationId == rotationId && c.TableName == table.Name)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.After, after).SetProperty(c => c.Done, done), ct);
            await db.KeyRotations.Where(r => r.Id == rotationId).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.RewrittenThisPass, r => r.RewrittenThisPass + changed)
                .SetProperty(r => r.RewrittenTotal, r => r.RewrittenTotal + batch.Rewritten)
                .SetProperty(r => r.Unreadable, r => r.Unreadable + batch.Unreadable), ct);
            await tx.CommitAsync(ct);
            if (batch.Conflicts > 0)
            {
                logger.LogInformation("{Conflicts} row(s) of {Table} changed while being re-encrypted; the next walk checks them.", batch.Conflicts, table.Name);
            }
        }

        return true;
    }

    /// <summary>Ends a walk: another one if this one changed anything, else the rotation is complete (and may revoke).</summary>
    private async Task EndWalkAsync(ConsentryDbContext db, Guid rotationId, CancellationToken ct)
    {
        var rotation = await db.KeyRotations.AsNoTracking().SingleAsync(r => r.Id == rotationId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        // Another instance may still encrypt with its cached ring until its next ring check: revocation waits that out.
        var settled = now >= rotation.Requested + TimeSpan.FromMilliseconds(2.0 * options.CurrentValue.RingCheckMilliseconds);
        if (rotation.RewrittenThisPass > 0 || (rotation.RevokeOldKeys && !settled))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.KeyRotationCursors.Where(c => c.RotationId == rotationId).ExecuteUpdateAsync(s => s.SetProperty(c => c.After, (string?)null).SetProperty(c => c.Done, false), ct);
            await db.KeyRotations.Where(r => r.Id == rotationId && r.LeaseOwner == InstanceId).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Pass, r => r.Pass + 1).SetProperty(r => r.RewrittenThisPass, 0L).SetProperty(r => r.Unreadable, 0L), ct);
            await tx.CommitAsync(ct);
            return;
        }

        var outcome = $"Every readable ciphertext is under key {rotation.NewKeyId} ({rotation.RewrittenTotal} rewritten, {rotation.Unreadable} unreadable).";
        if (rotation.RevokeOldKeys && rotation.Unreadable > 0)
        {
            outcome += " Old keys were not revoked: some ciphertexts could not be read.";
        }
        else if (rotation.RevokeOldKeys)
        {
            // Only keys older than the new one: a key made by a later rotation is not this rotation's to revoke.
            var ring = keys.GetAllKeys();
            var newKeyCreated = ring.Single(k => k.KeyId == rotation.NewKeyId).CreationDate;
            var old = ring.Where(k => k.KeyId != rotation.NewKeyId && !k.IsRevoked && k.CreationDate <= newKeyCreated).ToList();
            foreach (var key in old)
            {
                keys.RevokeKey(key.KeyId, $"Replaced by key rotation {rotation.Id}.");
            }

            outcome += $" Revoked {old.Count} old key(s): {string.Join(", ", old.Select(k => k.KeyId))}.";
        }

        await db.KeyRotations.Where(r => r.Id == rotationId && r.LeaseOwner == InstanceId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Completed, now).SetProperty(r => r.Outcome, outcome).SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpires, (DateTime?)null), ct);
        logger.LogInformation("Key rotation complete. {Outcome}", outcome);
    }

    private sealed class Budget
    {
        public int Left { get; set; }
    }
}
