using Consentry.Core.Persistence;
using Consentry.Infrastructure.Persistence;
using Consentry.Infrastructure.Work;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Webhooks.Delivery;

/// <summary>
/// Claims due deliveries for one worker with a lease, atomically: on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c> so
/// instances never wait for or take each other's rows; on SQLite the single writer makes the statement atomic. A claim
/// whose lease ran out (its instance died) is free again. Raw SQL because UPDATE … RETURNING over a locked sub-select
/// is not something LINQ expresses.
/// </summary>
public static class DeliveryClaims
{
    /// <summary>Due deliveries other than those this instance holds (<paramref name="held"/>: its heartbeat renews them).</summary>
    public static Task<List<Guid>> ClaimAsync(ConsentryDbContext db, string owner, int limit, DateTime now, TimeSpan lease, IReadOnlyCollection<Guid> held, CancellationToken ct)
    {
        var postgres = db.Database.IsPostgres();
        var sql = $"""
            UPDATE webhook_deliveries SET "LeaseOwner" = @owner, "LeaseExpiresAt" = @until
            WHERE "Id" IN (
                SELECT d."Id" FROM webhook_deliveries d
                WHERE d."Status" = 'Pending' AND d."NextAttemptAt" <= @now
                  AND (d."LeaseExpiresAt" IS NULL OR d."LeaseExpiresAt" < @now)
                  AND NOT EXISTS (SELECT 1 FROM webhook_consumers c WHERE c."Id" = d."ConsumerId" AND c."Disabled")
                  AND {LeaseRenewal.NotHeld(postgres, "d.\"Id\"")}
                ORDER BY d."NextAttemptAt"
                LIMIT @limit{(postgres ? " FOR UPDATE SKIP LOCKED" : "")})
            RETURNING "Id"
            """;
        return RawSql.ReadIdsAsync(db, sql, new Dictionary<string, object?>
        {
            ["owner"] = owner, ["until"] = now + lease, ["now"] = now, ["limit"] = limit, ["held"] = LeaseRenewal.HeldJson(held, postgres),
        }, ct);
    }
}
