using System.Text;
using Consentry.Connectors;
using Consentry.Connectors.Data;
using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Consentry.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consentry.Features.Sync;

/// <summary>
/// Writes a page of records and the dataset's progress in one transaction. Records are upserted on (connection, data
/// type, record id) so a re-read or a resumed read never duplicates; the progress update is fenced by the lease.
/// </summary>
public sealed class RecordStore(ConsentryDbContext db, IOptionsMonitor<SyncOptions> options, TimeProvider time)
{
    /// <summary>Rows per INSERT statement (9 parameters each stays far below both databases' limits).</summary>
    private const int RowsPerStatement = 500;

    /// <summary>False when the lease was lost: nothing was written.</summary>
    public Task<bool> SavePageAsync(Dataset dataset, string owner, DataPage.Ok page, CancellationToken ct) => SavePageAsync(dataset, owner, page, true, ct);

    /// <param name="markUnseenDeleted">on the last page of a full read, mark the records it did not find as deleted (see <see cref="MarkUnseenDeletedAsync"/>)</param>
    public async Task<bool> SavePageAsync(Dataset dataset, string owner, DataPage.Ok page, bool markUnseenDeleted, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var last = page.NextCursor is null;
        var mapped = new Dictionary<string, MappedRecord>(StringComparer.Ordinal);
        foreach (var record in page.Records)
        {
            mapped[record.Id] = record; // a platform repeating a record in one page: the last copy wins
        }

        var read = dataset.RecordsRead + mapped.Count;
        var progress = last ? 99 : page.TotalResults is > 0 and var total ? (int)Math.Min(99, read * 100L / total) : dataset.Progress;
        var nextPage = dataset.NextPage + 1;
        var lease = now.AddSeconds(options.CurrentValue.LeaseSeconds);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Raw SQL on the hot path: EF 10's ExecuteUpdate inlines these values as constants, so every page would compile
        // (and JIT) a new query.
        var fenced = await RawSql.ExecuteAsync(db, """
            UPDATE datasets SET "NextPage" = @next, "Cursor" = @cursor, "RecordsRead" = @read, "TotalRecords" = @total, "Progress" = @progress,
                "StatusDescription" = NULL, "LeaseExpiresAt" = @lease
            WHERE "Id" = @id AND "LeaseOwner" = @owner
            """, new Dictionary<string, object?>
        {
            ["next"] = nextPage, ["cursor"] = page.NextCursor ?? page.ResumeCursor, ["read"] = read, ["total"] = page.TotalResults, ["progress"] = progress, ["lease"] = lease,
            ["id"] = dataset.Id, ["owner"] = owner,
        }, ct);
        if (fenced == 0)
        {
            return false;
        }

        foreach (var chunk in mapped.Values.Where(r => !r.Tombstone).Chunk(RowsPerStatement))
        {
            await UpsertAsync(dataset, chunk, now, ct);
        }

        foreach (var chunk in mapped.Values.Where(r => r.Tombstone).Chunk(RowsPerStatement))
        {
            await MarkDeletedAsync(dataset, chunk, now, ct);
        }

        // The last page of a full read: what the platform no longer has is marked deleted, in the same transaction, so a
        // read that fails or stops half-way never deletes anything.
        if (markUnseenDeleted && last && dataset.ModifiedSince is null && dataset.Started is { } started)
        {
            await MarkUnseenDeletedAsync(dataset, started, now, ct);
        }

        await transaction.CommitAsync(ct);
        dataset.NextPage = nextPage;
        dataset.Cursor = page.NextCursor ?? page.ResumeCursor;
        dataset.RecordsRead = read;
        dataset.TotalRecords = page.TotalResults;
        dataset.Progress = progress;
        return true;
    }

    /// <summary>
    /// One INSERT … SELECT … ON CONFLICT DO UPDATE per chunk (EF has no upsert), the rows passed as one JSON parameter
    /// and expanded by the database (<c>json_each</c> / <c>jsonb_array_elements</c>): thousands of named parameters
    /// would make SQLite look each name up in a list, quadratically.
    /// </summary>
    private Task<int> UpsertAsync(Dataset dataset, MappedRecord[] rows, DateTime now, CancellationToken ct)
    {
        var postgres = db.Database.IsNpgsql();
        var sql = postgres
            ? """
              INSERT INTO records ("Id", "ClientId", "CompanyId", "ConnectionId", "DataType", "RecordId", "ModifiedDate", "Updated", "Data")
              SELECT (x->>'i')::uuid, @client, @company, @connection, @type, x->>'r', (x->>'m')::timestamptz, @now, x->'d'
              FROM jsonb_array_elements(CAST(@rows AS jsonb)) AS x
              ON CONFLICT ("ConnectionId", "DataType", "RecordId") DO UPDATE
              SET "ModifiedDate" = excluded."ModifiedDate", "Updated" = excluded."Updated", "Data" = excluded."Data"
              """
            : """
              INSERT INTO records ("Id", "ClientId", "CompanyId", "ConnectionId", "DataType", "RecordId", "ModifiedDate", "Updated", "Data")
              SELECT json_extract(value, '$.i'), @client, @company, @connection, @type, json_extract(value, '$.r'),
                     json_extract(value, '$.m'), @now, json_extract(value, '$.d')
              FROM json_each(@rows) WHERE true
              ON CONFLICT ("ConnectionId", "DataType", "RecordId") DO UPDATE
              SET "ModifiedDate" = excluded."ModifiedDate", "Updated" = excluded."Updated", "Data" = excluded."Data"
              """;
        return RawSql.ExecuteAsync(db, sql, new Dictionary<string, object?>
        {
            ["client"] = dataset.ClientId, ["company"] = dataset.CompanyId, ["connection"] = dataset.ConnectionId,
            ["type"] = dataset.DataType, ["now"] = now, ["rows"] = RowsJson(rows, postgres),
        }, ct);
    }

    /// <summary>
    /// Deletions reported without the record: the stored record stays whole (Codat shows deleted records with all their
    /// fields) and gets <c>metadata.isDeleted: true</c> and a new <c>modifiedDate</c>.
    /// </summary>
    private Task<int> MarkDeletedAsync(Dataset dataset, MappedRecord[] rows, DateTime now, CancellationToken ct)
    {
        var sql = db.Database.IsNpgsql()
            ? """
              UPDATE records SET "Updated" = @now,
                  "Data" = jsonb_set(jsonb_set("Data", '{metadata}', COALESCE("Data"->'metadata', '{}'::jsonb) || '{"isDeleted": true}'::jsonb),
                                     '{modifiedDate}', to_jsonb(CAST(@modified AS text)))
              WHERE "ConnectionId" = @connection AND "DataType" = @type
                AND "RecordId" IN (SELECT jsonb_array_elements_text(CAST(@ids AS jsonb)))
              """
            : """
              UPDATE records SET "Updated" = @now,
                  "Data" = json_set("Data", '$.metadata', json(json_set(COALESCE(json_extract("Data", '$.metadata'), '{}'), '$.isDeleted', json('true'))),
                                    '$.modifiedDate', @modified)
              WHERE "ConnectionId" = @connection AND "DataType" = @type
                AND "RecordId" IN (SELECT value FROM json_each(@ids))
              """;
        return RawSql.ExecuteAsync(db, sql, new Dictionary<string, object?>
        {
            ["connection"] = dataset.ConnectionId, ["type"] = dataset.DataType, ["now"] = now,
            ["modified"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["ids"] = System.Text.Json.JsonSerializer.Serialize(rows.Select(r => r.Id)),
        }, ct);
    }

    /// <summary>
    /// After a complete full read: every stored record of the data type that this read did not write (its <c>Updated</c>
    /// is older than the read's start) and is not already deleted gets <c>metadata.isDeleted: true</c>, as Codat shows
    /// records deleted at the platform. With a lower date bound, only records modified since it are judged (older ones
    /// were not asked for).
    /// </summary>
    private Task<int> MarkUnseenDeletedAsync(Dataset dataset, DateTime started, DateTime now, CancellationToken ct)
    {
        var postgres = db.Database.IsNpgsql();
        var window = dataset.SyncFrom is null ? "" : """ AND "ModifiedDate" >= @from""";
        var sql = postgres
            ? """
              UPDATE records SET "Updated" = @now,
                  "Data" = jsonb_set(jsonb_set("Data", '{metadata}', COALESCE("Data"->'metadata', '{}'::jsonb) || '{"isDeleted": true}'::jsonb),
                                     '{modifiedDate}', to_jsonb(CAST(@modified AS text)))
              WHERE "ConnectionId" = @connection AND "DataType" = @type AND "Updated" < @started
                AND COALESCE("Data"->'metadata'->>'isDeleted', 'false') <> 'true'
              """ + window
            : """
              UPDATE records SET "Updated" = @now,
                  "Data" = json_set("Data", '$.metadata', json(json_set(COALESCE(json_extract("Data", '$.metadata'), '{}'), '$.isDeleted', json('true'))),
                                    '$.modifiedDate', @modified)
              WHERE "ConnectionId" = @connection AND "DataType" = @type AND "Updated" < @started
                AND COALESCE(json_extract("Data", '$.metadata.isDeleted'), 0) <> 1
              """ + window;
        var parameters = new Dictionary<string, object?>
        {
            ["connection"] = dataset.ConnectionId, ["type"] = dataset.DataType, ["now"] = now, ["started"] = started,
            ["modified"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (dataset.SyncFrom is { } from)
        {
            parameters["from"] = from;
        }

        return RawSql.ExecuteAsync(db, sql, parameters, ct);
    }

    /// <summary><c>[{"i": id, "r": record id, "m": modified, "d": {the record}}, …]</c>, ids and dates as each database stores them.</summary>
    private static string RowsJson(MappedRecord[] rows, bool postgres)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(rows.Length * 1024);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                var id = Guid.CreateVersion7();
                writer.WriteString("i", postgres ? id.ToString() : id.ToString().ToUpperInvariant());
                writer.WriteString("r", row.Id);
                if (row.SourceModifiedDate is { } modified)
                {
                    writer.WriteString("m", postgres
                        ? modified.ToString("O", System.Globalization.CultureInfo.InvariantCulture)
                        : modified.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture));
                }

                writer.WritePropertyName("d");
                writer.WriteRawValue(row.Json, skipInputValidation: true);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
