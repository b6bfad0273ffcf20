using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Consentry.Features.Webhooks.Delivery;

/// <summary>One successful send to record: the delivery, the claim token that fences it, and its attempt row's values.</summary>
public sealed record SucceededSend(
    Guid DeliveryId, string Token, Guid ClientId, Guid ConsumerId, Guid EventId, string EventType, DateTime At, int? StatusCode, int DurationMs);

/// <summary>
/// Records successful sends, the common case, without change tracking, inside the caller's transaction: each delivery
/// still claimed under its token becomes Succeeded (attempt count + 1, lease cleared, <c>CompletedAt</c>), gets its
/// attempt row, and its consumer's <c>FailingSince</c> is cleared; a delivery claimed by someone else meanwhile is left
/// alone and gets no attempt row (the token match is the fence, as in the tracked path). The same rows the tracked path
/// writes for a success (<c>WebhookBatchTests</c>, <c>SucceededDeliveriesTests</c>), for a fraction of its CPU: on
/// PostgreSQL one statement for the whole batch (typed arrays, <c>unnest</c>, data-modifying CTEs); on SQLite three
/// statements for the whole batch, reading it from one JSON parameter (<c>json_each</c>).
/// </summary>
public static class SucceededDeliveries
{
    /// <summary>Returns how many of <paramref name="sends"/> were recorded (the others had lost their claim).</summary>
    public static Task<int> RecordAsync(ConsentryDbContext db, IReadOnlyList<SucceededSend> sends, string worker, CancellationToken ct) =>
        sends.Count == 0 ? Task.FromResult(0)
        : db.Database.IsPostgres() ? RecordPostgresAsync(db, sends, worker, ct)
        : Task.FromResult(RecordSqlite(db, sends, worker));

    private const string AttemptColumns =
        """ "Id", "ClientId", "ConsumerId", "DeliveryId", "EventId", "EventType", "AttemptedAt", "StatusCode", "DurationMs", "Error", "Succeeded", "Worker" """;

    private static async Task<int> RecordPostgresAsync(ConsentryDbContext db, IReadOnlyList<SucceededSend> sends, string worker, CancellationToken ct)
    {
        await using var command = (Npgsql.NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        command.Transaction = (Npgsql.NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        command.CommandText = $"""
            WITH f AS (
                SELECT * FROM unnest(@ids, @tokens, @attempts, @clients, @consumers, @events, @types, @at, @statuses, @durations)
                    AS f(id, token, attempt, client, consumer, event, type, at, status, duration)),
            done AS (
                UPDATE webhook_deliveries d SET "Status" = 'Succeeded', "CompletedAt" = f.at, "AttemptCount" = d."AttemptCount" + 1,
                    "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL
                FROM f WHERE d."Id" = f.id AND d."LeaseOwner" = f.token
                RETURNING d."Id"),
            healthy AS (
                UPDATE webhook_consumers c SET "FailingSince" = NULL
                WHERE c."FailingSince" IS NOT NULL AND c."Id" IN (SELECT f.consumer FROM f JOIN done ON done."Id" = f.id))
            INSERT INTO webhook_attempts ({AttemptColumns})
            SELECT f.attempt, f.client, f.consumer, f.id, f.event, f.type, f.at, f.status, f.duration, NULL, TRUE, @worker
            FROM f JOIN done ON done."Id" = f.id
            """;
        Add(command, "ids", NpgsqlTypes.NpgsqlDbType.Uuid, sends.Select(s => s.DeliveryId));
        Add(command, "tokens", NpgsqlTypes.NpgsqlDbType.Text, sends.Select(s => s.Token));
        Add(command, "attempts", NpgsqlTypes.NpgsqlDbType.Uuid, sends.Select(_ => Guid.CreateVersion7()));
        Add(command, "clients", NpgsqlTypes.NpgsqlDbType.Uuid, sends.Select(s => s.ClientId));
        Add(command, "consumers", NpgsqlTypes.NpgsqlDbType.Uuid, sends.Select(s => s.ConsumerId));
        Add(command, "events", NpgsqlTypes.NpgsqlDbType.Uuid, sends.Select(s => s.EventId));
        Add(command, "types", NpgsqlTypes.NpgsqlDbType.Text, sends.Select(s => s.EventType));
        Add(command, "at", NpgsqlTypes.NpgsqlDbType.TimestampTz, sends.Select(s => DateTime.SpecifyKind(s.At, DateTimeKind.Utc)));
        Add(command, "statuses", NpgsqlTypes.NpgsqlDbType.Integer, sends.Select(s => s.StatusCode));
        Add(command, "durations", NpgsqlTypes.NpgsqlDbType.Integer, sends.Select(s => s.DurationMs));
        command.Parameters.AddWithValue("worker", NpgsqlTypes.NpgsqlDbType.Text, worker);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static void Add<T>(Npgsql.NpgsqlCommand command, string name, NpgsqlTypes.NpgsqlDbType type, IEnumerable<T> values) =>
        command.Parameters.AddWithValue(name, NpgsqlTypes.NpgsqlDbType.Array | type, values.ToArray());

    private static int RecordSqlite(ConsentryDbContext db, IReadOnlyList<SucceededSend> sends, string worker)
    {
        var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
        var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        // The batch as one JSON parameter read by json_each: three statements per batch whatever its size, instead of
        // two statement steps (and a dozen parameter bindings) per send. Each reads the deliveries still claimed under
        // their token (the fence), so the consumer and attempt rows are written before the deliveries' claims are
        // cleared, all inside the caller's transaction (SQLite's one writer: nothing changes in between).
        var rows = Rows(sends);
        const string Fenced = """
            json_each(@rows) AS j JOIN webhook_deliveries d ON d."Id" = j.value ->> 'd' AND d."LeaseOwner" = j.value ->> 't'
            """;
        Execute(connection, transaction, rows, worker, $"""
            UPDATE webhook_consumers SET "FailingSince" = NULL
            WHERE "FailingSince" IS NOT NULL AND "Id" IN (SELECT j.value ->> 'k' FROM {Fenced})
            """);
        var recorded = Execute(connection, transaction, rows, worker, $"""
            INSERT INTO webhook_attempts ({AttemptColumns})
            SELECT j.value ->> 'a', j.value ->> 'c', j.value ->> 'k', j.value ->> 'd', j.value ->> 'e', j.value ->> 'y',
                j.value ->> 'w', j.value ->> 's', j.value ->> 'm', NULL, 1, @worker
            FROM {Fenced}
            """);
        Execute(connection, transaction, rows, worker, """
            UPDATE webhook_deliveries SET "Status" = 'Succeeded', "CompletedAt" = f.at, "AttemptCount" = "AttemptCount" + 1,
                "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL
            FROM (SELECT value ->> 'd' AS id, value ->> 't' AS token, value ->> 'w' AS at FROM json_each(@rows)) AS f
            WHERE webhook_deliveries."Id" = f.id AND webhook_deliveries."LeaseOwner" = f.token
            """);
        return recorded;
    }

    /// <summary>Synchronous on purpose: Microsoft.Data.Sqlite's async methods run synchronously anyway.</summary>
    private static int Execute(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, string rows, string worker, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("@rows", rows);
        if (sql.Contains("@worker", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("@worker", worker);
        }

        return command.ExecuteNonQuery();
    }

    /// <summary>The sends as a JSON array of objects with one-letter keys, in the column formats EF uses on SQLite.</summary>
    private static string Rows(IReadOnlyList<SucceededSend> sends)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(sends.Count * 400);
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var send in sends)
            {
                json.WriteStartObject();
                json.WriteString("d", Text(send.DeliveryId));
                json.WriteString("t", send.Token);
                json.WriteString("a", Text(Guid.CreateVersion7()));
                json.WriteString("c", Text(send.ClientId));
                json.WriteString("k", Text(send.ConsumerId));
                json.WriteString("e", Text(send.EventId));
                json.WriteString("y", send.EventType);
                json.WriteString("w", Text(send.At));
                if (send.StatusCode is { } status)
                {
                    json.WriteNumber("s", status);
                }

                json.WriteNumber("m", send.DurationMs);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Guids and dates as EF stores them on SQLite.</summary>
    private static string Text(Guid id) => id.ToString().ToUpperInvariant();

    private static string Text(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
}
