using Consentry.Core.Persistence;
using Consentry.Infrastructure.Persistence;
using Consentry.Infrastructure.Work;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Sync;

/// <summary>
/// Claims work for one instance with a lease, atomically: on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>, on SQLite
/// through its single writer. A claim whose lease ran out (its instance died) is free again.
/// </summary>
public static class SyncClaims
{
    /// <summary>Due datasets (queued, or fetching under an expired lease) other than those this instance holds, oldest first.</summary>
    public static Task<List<Guid>> DatasetsAsync(ConsentryDbContext db, string owner, int limit, DateTime now, TimeSpan lease, IReadOnlyCollection<Guid> held, CancellationToken ct) =>
        RawSql.ReadIdsAsync(db, $"""
            UPDATE datasets SET "LeaseOwner" = @owner, "LeaseExpiresAt" = @until
            WHERE "Id" IN (
                SELECT "Id" FROM datasets
                WHERE "Status" IN ('Queued', 'Fetching') AND "NextAttemptAt" <= @now
                  AND ("LeaseExpiresAt" IS NULL OR "LeaseExpiresAt" < @now)
                  AND {LeaseRenewal.NotHeld(db.Database.IsPostgres(), "\"Id\"")}
                ORDER BY "NextAttemptAt"
                LIMIT @limit{(db.Database.IsPostgres() ? " FOR UPDATE SKIP LOCKED" : "")})
            RETURNING "Id"
            """, new Dictionary<string, object?>
        {
            ["owner"] = owner, ["until"] = now + lease, ["now"] = now, ["limit"] = limit, ["held"] = LeaseRenewal.HeldJson(held, db.Database.IsPostgres()),
        }, ct);

    /// <summary>
    /// Due schedules of linked connections. Their next time moves a lease ahead, so no other instance queues them too;
    /// the queueing transaction then sets the real next time (and if this instance dies first, they come due again).
    /// </summary>
    public static Task<List<Guid>> SchedulesAsync(ConsentryDbContext db, int limit, DateTime now, TimeSpan lease, CancellationToken ct) =>
        RawSql.ReadIdsAsync(db, $"""
            UPDATE sync_schedules SET "NextSyncAt" = @until
            WHERE "Id" IN (
                SELECT s."Id" FROM sync_schedules s
                WHERE s."NextSyncAt" <= @now
                  AND EXISTS (SELECT 1 FROM connections c WHERE c."Id" = s."ConnectionId" AND c."Status" = 'Linked')
                ORDER BY s."NextSyncAt"
                LIMIT @limit{(db.Database.IsPostgres() ? " FOR UPDATE OF s SKIP LOCKED" : "")})
            RETURNING "Id"
            """, new Dictionary<string, object?> { ["until"] = now + lease, ["now"] = now, ["limit"] = limit }, ct);
}
