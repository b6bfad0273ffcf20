using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Infrastructure.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consentry.Features.KeyRing;

/// <summary>Wakes this instance's re-encryption job when a rotation is requested here.</summary>
public sealed class KeySignal : WorkSignal;

/// <summary>The operator's action: a new Data Protection key, default at once, and a rotation row for the job to run.</summary>
public sealed class KeyRotator(ConsentryDbContext db, RefreshableKeyManager keys, IOptions<KeyOptions> options, TimeProvider time, KeySignal signal)
{
    public async Task<KeyRotation> StartAsync(bool revokeOldKeys, CancellationToken ct)
    {
        // Data Protection picks its default key by the system clock, so the new key is dated by it too.
        var now = DateTimeOffset.UtcNow;
        var key = keys.CreateNewKey(activationDate: now, expirationDate: now.AddDays(options.Value.NewKeyLifetimeDays));
        keys.Refresh();
        var rotation = new KeyRotation
        {
            Id = Guid.CreateVersion7(), NewKeyId = key.KeyId, Requested = time.GetUtcNow().UtcDateTime, RevokeOldKeys = revokeOldKeys,
        };
        db.KeyRotations.Add(rotation);
        await db.SaveChangesAsync(ct);
        signal.Notify();
        return rotation;
    }

    public async Task<IReadOnlyList<(KeyRotation Rotation, IReadOnlyList<KeyRotationCursor> Cursors)>> ListAsync(CancellationToken ct)
    {
        var rotations = await db.KeyRotations.AsNoTracking().OrderByDescending(r => r.Requested).Take(20).ToListAsync(ct);
        var ids = rotations.Select(r => r.Id).ToList();
        var cursors = await db.KeyRotationCursors.AsNoTracking().Where(c => ids.Contains(c.RotationId)).ToListAsync(ct);
        return [.. rotations.Select(r => (r, (IReadOnlyList<KeyRotationCursor>)[.. cursors.Where(c => c.RotationId == r.Id).OrderBy(c => c.TableName)]))];
    }
}
