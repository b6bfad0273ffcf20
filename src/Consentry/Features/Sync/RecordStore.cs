using Consentry.Connectors;
using Consentry.Connectors.Data;
using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Consentry.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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
    public Task<bool> SavePageAsync(Dataset dataset, string owner, DataPage.Ok page, CancellationToken ct) => SavePagesAsync(dataset, owner, [page], true, ct);

    /// <param name="markUnseenDeleted">on the last page of a full read, mark the records it did not find as deleted (see <see cref="MarkUnseenDeletedAsync"/>)</param>
    public Task<bool> SavePageAsync(Dataset dataset, string owner, DataPage.Ok page, bool markUnseenDeleted, CancellationToken ct) =>
        SavePagesAsync(dataset, owner, [page], markUnseenDeleted, ct);

    /// <summary>
    /// Consecutive pages of one read, in cursor order, in one transaction (each page's records as if stored alone, in
    /// turn): one commit and one progress update for all of them, which is most of what a page costs on SQLite (the
    /// record-id index's leaves that several pages touch are written to the log once). Only the last one may end the
    /// read. False when the lease was lost: nothing was written.
    /// </summary>
    public async Task<bool> SavePagesAsync(Dataset dataset, string owner, IReadOnlyList<DataPage.Ok> pages, bool markUnseenDeleted, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var final = pages[^1];
        var last = final.NextCursor is null;
        var mappedPages = new List<ICollection<MappedRecord>>(pages.Count);
        var read = dataset.RecordsRead;
        foreach (var page in pages)
        {
            var mapped = new Dictionary<string, MappedRecord>(StringComparer.Ordinal);
            foreach (var record in page.Records)
            {
                mapped[record.Id] = record; // a platform repeating a record in one page: the last copy wins
            }

            mappedPages.Add(mapped.Values);
            read += mapped.Count;
        }

        var progress = last ? 99 : final.TotalResults is > 0 and var total ? (int)Math.Min(99, read * 100L / total) : dataset.Progress;
        var nextPage = dataset.NextPage + pages.Count;
        var cursor = final.NextCursor ?? final.ResumeCursor;
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
            ["next"] = nextPage, ["cursor"] = cursor, ["read"] = read, ["total"] = final.TotalResults, ["progress"] = progress, ["lease"] = lease,
            ["id"] = dataset.Id, ["owner"] = owner,
        }, ct);
        if (fenced == 0)
        {
            return false;
        }

        foreach (var mapped in mappedPages)
        {
            foreach (var chunk in mapped.Where(r => !r.Tombstone).Chunk(RowsPerStatement))
            {
                await UpsertAsync(dataset, chunk, now, ct);
            }

            foreach (var chunk in mapped.Where(r => r.Tombstone).Chunk(RowsPerStatement))
            {
                await MarkDeletedAsync(dataset, chunk, now, ct);
            }
        }

        // The last page of a full read: what the platform no longer has is marked deleted, in the same transaction, so a
        // read that fails or stops half-way never deletes anything.
        if (markUnseenDeleted && last && dataset.ModifiedSince is null && dataset.Started is { } started)
        {
            await MarkUnseenDeletedAsync(dataset, started, now, ct);
        }

        await transaction.CommitAsync(ct);
        dataset.NextPage = nextPage;
        dataset.Cursor = cursor;
        dataset.RecordsRead = read;
        dataset.TotalRecords = final.TotalResults;
        dataset.Progress = progress;
        return true;
    }

    /// <summary>
    /// On SQLite, a page cache of <see cref="SyncOptions.SqliteCacheMiB"/> on this read's connection until the returned
    /// scope ends, then SQLite's default again (the context's connection stays open for its life, so the setting must
    /// not outlive the read). Nothing on PostgreSQL.
    /// </summary>
    public async Task<IAsyncDisposable> WidenCacheAsync(CancellationToken ct)
    {
        var mib = options.CurrentValue.SqliteCacheMiB;
        if (db.Database.IsPostgres() || mib == 0)
        {
            return NoScope.Instance;
        }

        await RawSql.ExecuteAsync(db, $"PRAGMA cache_size=-{mib * 1024};", NoParameters, ct);
        return new CacheScope(db);
    }

    private static readonly Dictionary<string, object?> NoParameters = [];

    /// <summary>SQLite's default page cache (<c>cache_size=-2000</c>, in KiB), which Consentry's connections otherwise keep.</summary>
    private sealed class CacheScope(ConsentryDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await RawSql.ExecuteAsync(db, "PRAGMA cache_size=-2000;", NoParameters, CancellationToken.None);
            }
            catch (System.Data.Common.DbException)
            {
                // The connection failed (the read is ending on that error, which must not be hidden by this one). The
                // connection may keep the larger cache: at most SqliteCacheMiB more on one pooled connection.
            }
        }
    }

    private sealed class NoScope : IAsyncDisposable
    {
        public static readonly NoScope Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>
    /// The upsert on (connection, data type, record id) (EF has no upsert), in the page's transaction. On SQLite one prepared
    /// single-row statement is run once per record: SQLite binds by name with a linear search, so a multi-row statement
    /// with thousands of parameters is quadratic, and a JSON parameter expanded by <c>json_each</c> re-parses every
    /// record several times (<c>json_extract</c> per column); a reused prepared statement costs a bind and a step per row.
    /// On PostgreSQL one statement per chunk takes the columns as typed arrays (<c>unnest</c>), so the records travel in
    /// Npgsql's binary format with no JSON document built around them and none taken apart again by the database.
    /// </summary>
    private Task<int> UpsertAsync(Dataset dataset, MappedRecord[] rows, DateTime now, CancellationToken ct) =>
        db.Database.IsPostgres() ? UpsertPostgresAsync(dataset, rows, now, ct) : Task.FromResult(UpsertSqlite(dataset, rows, now));

    private const string UpsertConflict = """
        ON CONFLICT ("ConnectionId", "DataType", "RecordId") DO UPDATE
        SET "ModifiedDate" = excluded."ModifiedDate", "Updated" = excluded."Updated", "Data" = excluded."Data"
        """;

    private int UpsertSqlite(Dataset dataset, MappedRecord[] rows, DateTime now)
    {
        using var command = ((Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection()).CreateCommand();
        command.Transaction = (Microsoft.Data.Sqlite.SqliteTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        command.CommandText = """
            INSERT INTO records ("Id", "ClientId", "CompanyId", "ConnectionId", "DataType", "RecordId", "ModifiedDate", "Updated", "Data")
            VALUES (@id, @client, @company, @connection, @type, @record, @modified, @now, @data)
            """ + "\n" + UpsertConflict;
        // Guids and dates as EF stores them on SQLite (upper-case text; "yyyy-MM-dd HH:mm:ss.FFFFFFF").
        command.Parameters.AddWithValue("@client", SqliteText(dataset.ClientId));
        command.Parameters.AddWithValue("@company", SqliteText(dataset.CompanyId));
        command.Parameters.AddWithValue("@connection", SqliteText(dataset.ConnectionId));
        command.Parameters.AddWithValue("@type", dataset.DataType);
        command.Parameters.AddWithValue("@now", SqliteText(now));
        var id = command.Parameters.Add("@id", Microsoft.Data.Sqlite.SqliteType.Text);
        var record = command.Parameters.Add("@record", Microsoft.Data.Sqlite.SqliteType.Text);
        var modified = command.Parameters.Add("@modified", Microsoft.Data.Sqlite.SqliteType.Text);
        var data = command.Parameters.Add("@data", Microsoft.Data.Sqlite.SqliteType.Text);
        command.Prepare();
        var changed = 0;
        foreach (var row in rows)
        {
            id.Value = SqliteText(Guid.CreateVersion7());
            record.Value = row.Id;
            modified.Value = row.SourceModifiedDate is { } date ? SqliteText(date) : DBNull.Value;
            data.Value = row.Json;
            // Synchronous on purpose: Microsoft.Data.Sqlite's async methods run synchronously anyway, and a Task per row is pure cost.
            changed += command.ExecuteNonQuery();
        }

        return changed;
    }

    private async Task<int> UpsertPostgresAsync(Dataset dataset, MappedRecord[] rows, DateTime now, CancellationToken ct)
    {
        var ids = new Guid[rows.Length];
        var recordIds = new string[rows.Length];
        var modified = new DateTime?[rows.Length];
        var data = new string[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            ids[i] = Guid.CreateVersion7();
            recordIds[i] = rows[i].Id;
            modified[i] = rows[i].SourceModifiedDate is { } date ? Utc(date) : null;
            data[i] = rows[i].Json;
        }

        await using var command = (Npgsql.NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        command.Transaction = (Npgsql.NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        command.CommandText = """
            INSERT INTO records ("Id", "ClientId", "CompanyId", "ConnectionId", "DataType", "RecordId", "ModifiedDate", "Updated", "Data")
            SELECT r.id, @client, @company, @connection, @type, r.record, r.modified, @now, r.data
            FROM unnest(@ids, @records, @modified, @data) AS r(id, record, modified, data)
            """ + "\n" + UpsertConflict;
        command.Parameters.AddWithValue("client", dataset.ClientId);
        command.Parameters.AddWithValue("company", dataset.CompanyId);
        command.Parameters.AddWithValue("connection", dataset.ConnectionId);
        command.Parameters.AddWithValue("type", dataset.DataType);
        command.Parameters.AddWithValue("now", NpgsqlTypes.NpgsqlDbType.TimestampTz, now);
        command.Parameters.AddWithValue("ids", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid, ids);
        command.Parameters.AddWithValue("records", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, recordIds);
        command.Parameters.AddWithValue("modified", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.TimestampTz, modified);
        command.Parameters.AddWithValue("data", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Jsonb, data);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static string SqliteText(Guid id) => id.ToString().ToUpperInvariant();

    private static string SqliteText(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>timestamptz takes UTC only; a date without a kind is taken as UTC (as the text the JSON path cast was).</summary>
    private static DateTime Utc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };

    /// <summary>
    /// Deletions reported without the record: the stored record stays whole (Codat shows deleted records with all their
    /// fields) and gets <c>metadata.isDeleted: true</c> and a new <c>modifiedDate</c>.
    /// </summary>
    private Task<int> MarkDeletedAsync(Dataset dataset, MappedRecord[] rows, DateTime now, CancellationToken ct)
    {
        var sql = db.Database.IsPostgres()
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
        var sql = UnseenSql(db.Database.IsPostgres(), windowed: dataset.SyncFrom is not null);
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

    /// <summary>
    /// The statement of <see cref="MarkUnseenDeletedAsync"/>. <c>IX_records_ConnectionId_DataType_Updated</c> finds the
    /// records not written since the read started without visiting the ones it wrote (every record of the type before
    /// that index: 200–400 ms at the end of a 50,000-record read on SQLite, inside the page's write transaction).
    /// </summary>
    internal static string UnseenSql(bool postgres, bool windowed)
    {
        var window = windowed ? """ AND "ModifiedDate" >= @from""" : "";
        return postgres
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
    }
}
