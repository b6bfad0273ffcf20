using System.Data.Common;
using Consentry.Core.Persistence;
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
    private const string Due = """
        SELECT d."Id" FROM webhook_deliveries d
        WHERE d."Status" = 'Pending' AND d."NextAttemptAt" <= @now
          AND (d."LeaseExpiresAt" IS NULL OR d."LeaseExpiresAt" < @now)
          AND NOT EXISTS (SELECT 1 FROM webhook_consumers c WHERE c."Id" = d."ConsumerId" AND c."Disabled")
        ORDER BY d."NextAttemptAt"
        LIMIT @limit
        """;

    public static async Task<List<Guid>> ClaimAsync(ConsentryDbContext db, string owner, int limit, DateTime now, TimeSpan lease, CancellationToken ct)
    {
        var postgres = db.Database.IsNpgsql();
        var sql = $"""
            UPDATE webhook_deliveries SET "LeaseOwner" = @owner, "LeaseExpiresAt" = @until
            WHERE "Id" IN ({Due}{(postgres ? " FOR UPDATE SKIP LOCKED" : "")})
            RETURNING "Id"
            """;
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(ct);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            Add(command, "owner", owner);
            Add(command, "until", now + lease);
            Add(command, "now", now);
            Add(command, "limit", limit);
            var ids = new List<Guid>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(postgres ? reader.GetGuid(0) : Guid.Parse(reader.GetString(0)));
            }

            return ids;
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        // SQLite stores EF's DateTimes as text in this exact form; PostgreSQL takes UTC DateTimes as timestamptz.
        parameter.Value = value is DateTime time && command is Microsoft.Data.Sqlite.SqliteCommand
            ? time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture)
            : value;
        command.Parameters.Add(parameter);
    }
}
