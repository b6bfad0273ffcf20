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
/// PostgreSQL one statement for the whole batch (typed arrays, <c>unnest</c>, data-modifying CTEs); on SQLite two
/// prepared single-row statements per delivery, reused (SQLite binds names by linear search, and a step costs
/// microseconds).
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
        using var done = connection.CreateCommand();
        done.Transaction = transaction;
        done.CommandText = """
            UPDATE webhook_deliveries SET "Status" = 'Succeeded', "CompletedAt" = @at, "AttemptCount" = "AttemptCount" + 1,
                "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL
            WHERE "Id" = @id AND "LeaseOwner" = @token
            """;
        var doneId = done.Parameters.Add("@id", Microsoft.Data.Sqlite.SqliteType.Text);
        var doneToken = done.Parameters.Add("@token", Microsoft.Data.Sqlite.SqliteType.Text);
        var doneAt = done.Parameters.Add("@at", Microsoft.Data.Sqlite.SqliteType.Text);
        done.Prepare();

        using var attempt = connection.CreateCommand();
        attempt.Transaction = transaction;
        attempt.CommandText = $"""
            INSERT INTO webhook_attempts ({AttemptColumns})
            VALUES (@id, @client, @consumer, @delivery, @event, @type, @at, @status, @duration, NULL, 1, @worker)
            """;
        var id = attempt.Parameters.Add("@id", Microsoft.Data.Sqlite.SqliteType.Text);
        var client = attempt.Parameters.Add("@client", Microsoft.Data.Sqlite.SqliteType.Text);
        var consumer = attempt.Parameters.Add("@consumer", Microsoft.Data.Sqlite.SqliteType.Text);
        var delivery = attempt.Parameters.Add("@delivery", Microsoft.Data.Sqlite.SqliteType.Text);
        var eventId = attempt.Parameters.Add("@event", Microsoft.Data.Sqlite.SqliteType.Text);
        var type = attempt.Parameters.Add("@type", Microsoft.Data.Sqlite.SqliteType.Text);
        var at = attempt.Parameters.Add("@at", Microsoft.Data.Sqlite.SqliteType.Text);
        var status = attempt.Parameters.Add("@status", Microsoft.Data.Sqlite.SqliteType.Integer);
        var duration = attempt.Parameters.Add("@duration", Microsoft.Data.Sqlite.SqliteType.Integer);
        attempt.Parameters.AddWithValue("@worker", worker);
        attempt.Prepare();

        var recorded = 0;
        var healthy = new HashSet<Guid>();
        // Synchronous on purpose: Microsoft.Data.Sqlite's async methods run synchronously anyway; a Task per row is pure cost.
        foreach (var send in sends)
        {
            var when = Text(send.At);
            doneId.Value = Text(send.DeliveryId);
            doneToken.Value = send.Token;
            doneAt.Value = when;
            if (done.ExecuteNonQuery() == 0)
            {
                continue;
            }

            id.Value = Text(Guid.CreateVersion7());
            client.Value = Text(send.ClientId);
            consumer.Value = Text(send.ConsumerId);
            delivery.Value = doneId.Value;
            eventId.Value = Text(send.EventId);
            type.Value = send.EventType;
            at.Value = when;
            status.Value = send.StatusCode is { } code ? code : DBNull.Value;
            duration.Value = send.DurationMs;
            attempt.ExecuteNonQuery();
            healthy.Add(send.ConsumerId);
            recorded++;
        }

        using var consumers = connection.CreateCommand();
        consumers.Transaction = transaction;
        consumers.CommandText = """UPDATE webhook_consumers SET "FailingSince" = NULL WHERE "Id" = @id AND "FailingSince" IS NOT NULL""";
        var consumerId = consumers.Parameters.Add("@id", Microsoft.Data.Sqlite.SqliteType.Text);
        foreach (var healthyId in healthy)
        {
            consumerId.Value = Text(healthyId);
            consumers.ExecuteNonQuery();
        }

        return recorded;
    }

    /// <summary>Guids and dates as EF stores them on SQLite.</summary>
    private static string Text(Guid id) => id.ToString().ToUpperInvariant();

    private static string Text(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
}
