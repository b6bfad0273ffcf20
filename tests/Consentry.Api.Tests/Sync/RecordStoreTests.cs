using Consentry.Connectors;
using Consentry.Connectors.Data;
using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Consentry.Features.Sync;
using Consentry.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Sync;

/// <summary>
/// The page store's write path (a reused prepared statement per record on SQLite, typed arrays and <c>unnest</c> on
/// PostgreSQL) writes what the JSON-parameter statement it replaced wrote, and a page that fails half-way leaves nothing
/// of itself: neither records nor progress. Each test stores into data types of its own on a linked sandbox connection.
/// </summary>
public abstract class RecordStoreTests(SyncApp app)
{
    private const string Owner = "record-store-test";
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task StoredPage_EqualsWhatTheJsonParameterStatementStored_AndARetryUpdatesInPlace()
    {
        var connection = await ConnectionAsync();
        var records = new List<MappedRecord>
        {
            // Microseconds: PostgreSQL keeps no finer, and Npgsql truncates where the text cast rounded.
            new("a-1", new DateTime(2024, 3, 1, 10, 20, 30, DateTimeKind.Utc).AddTicks(1234560),
                """{"id":"a-1","name":"Caf\u00e9 \"Ø\" ✓","amount":1.50,"big":1E+3,"lines":[{"n":1},{"n":null}],"empty":{}}"""),
            new("a-2", null, """{"id":"a-2","note":"line\nbreak \\ slash","flag":true}"""),
            new("ü-3", new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc), """{"id":"ü-3","n":-0.000123}"""),
        };
        records.AddRange(Enumerable.Range(0, 700).Select(i =>
            new MappedRecord($"bulk-{i:D4}", new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i), $$"""{"id":"bulk-{{i:D4}}","i":{{i}}}""")));

        var stored = await DatasetAsync(connection, "rsNew");
        Assert.True(await StoreAsync(stored, new DataPage.Ok(records, records.Count, "2")));
        var reference = await DatasetAsync(connection, "rsOld");
        await app.WithDbAsync(db => ReferenceUpsertAsync(db, reference, records, DateTime.UtcNow));

        var written = await RowsAsync(connection.Id, "rsNew");
        var expected = await RowsAsync(connection.Id, "rsOld");
        Assert.Equal(records.Count, written.Count);
        Assert.Equal(expected.Select(Comparable), written.Select(Comparable));
        Assert.Single(written.Select(r => r.Updated).Distinct());

        // The same page again (a retry after a crash, or the next read), one record changed: updated in place, no duplicates.
        records[1] = records[1] with { Json = """{"id":"a-2","note":"changed"}""" };
        Assert.True(await StoreAsync(stored, new DataPage.Ok(records, records.Count, null)));
        var again = await RowsAsync(connection.Id, "rsNew");
        Assert.Equal(written.Select(r => (r.Id, r.RecordId)), again.Select(r => (r.Id, r.RecordId)));
        Assert.Contains("changed", again.Single(r => r.RecordId == "a-2").Data, StringComparison.Ordinal);
        var progress = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.Id == stored.Id));
        Assert.Equal((3, 2 * records.Count), (progress.NextPage, progress.RecordsRead));
    }

    [Fact]
    public async Task PageFailingHalfWay_LeavesNoRecordsAndNoProgress()
    {
        var connection = await ConnectionAsync();
        // 600 records: two statements on PostgreSQL (500 rows each at most), 600 steps on SQLite; the record without JSON
        // (the column is NOT NULL) fails the second statement, after the first 500 were written in the transaction.
        var records = Enumerable.Range(0, 600).Select(i => new MappedRecord($"r-{i}", null, i == 550 ? null! : $$"""{"id":"r-{{i}}"}""")).ToList();
        var dataset = await DatasetAsync(connection, "rsFail");

        await Assert.ThrowsAnyAsync<Exception>(() => StoreAsync(dataset, new DataPage.Ok(records, 600, "2")));

        Assert.Empty(await RowsAsync(connection.Id, "rsFail"));
        var progress = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.Id == dataset.Id));
        Assert.Equal((1, 0, (string?)null), (progress.NextPage, progress.RecordsRead, progress.Cursor));
    }

    [Fact]
    public async Task SeveralPagesInOneTransaction_AreStoredAsEachInTurn_WithTheLastOnesProgress()
    {
        var connection = await ConnectionAsync();
        var dataset = await DatasetAsync(connection, "rsBatch");
        DataPage.Ok[] pages =
        [
            new([Record("b-1"), Record("b-2"), Record("b-3")], 9, "2"),
            // Page 2 changes b-2 and reports b-1 deleted: both act on what page 1 wrote in the same transaction.
            new([Record("b-2", "changed"), new MappedRecord("b-1", null, "{}", Tombstone: true)], 9, "3"),
            new([Record("b-4"), Record("b-4", "twice")], 9, "4"),
        ];

        Assert.True(await StoreAllAsync(dataset, pages));

        var rows = await RowsAsync(connection.Id, "rsBatch");
        Assert.Equal(["b-1", "b-2", "b-3", "b-4"], rows.Select(r => r.RecordId));
        var data = rows.ToDictionary(r => r.RecordId, r => System.Text.Json.Nodes.JsonNode.Parse(r.Data)!);
        Assert.True(data["b-1"]["metadata"]!["isDeleted"]!.GetValue<bool>());
        Assert.Equal("changed", data["b-2"]["note"]!.GetValue<string>());
        Assert.Equal("twice", data["b-4"]["note"]!.GetValue<string>()); // repeated within a page: the last copy
        Assert.Single(rows.Select(r => r.Updated).Distinct());
        var progress = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.Id == dataset.Id));
        // Three pages further on, the third page's cursor, the records of each page counted once per page.
        Assert.Equal((4, "4", 3 + 2 + 1, (int?)9, 66), (progress.NextPage, progress.Cursor, progress.RecordsRead, progress.TotalRecords, progress.Progress));
        Assert.Equal((4, "4", 6), (dataset.NextPage, dataset.Cursor, dataset.RecordsRead));
    }

    [Fact]
    public async Task SeveralPagesInOneTransaction_OneFailing_LeaveNothing_AndALostLeaseWritesNothing()
    {
        var connection = await ConnectionAsync();
        var dataset = await DatasetAsync(connection, "rsBatchFail");
        DataPage.Ok[] pages =
        [
            new([Record("f-1"), Record("f-2")], 6, "2"),
            new([Record("f-3"), Record("f-4")], 6, "3"),
            new([Record("f-5"), new MappedRecord("f-6", null, null!)], 6, null), // no JSON: the column is NOT NULL
        ];

        await Assert.ThrowsAnyAsync<Exception>(() => StoreAllAsync(dataset, pages));
        Assert.Empty(await RowsAsync(connection.Id, "rsBatchFail"));
        var progress = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.Id == dataset.Id));
        Assert.Equal((1, 0, (string?)null), (progress.NextPage, progress.RecordsRead, progress.Cursor));

        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<RecordStore>().SavePagesAsync(dataset, "another-instance", pages[..2], true, CancellationToken.None));
        Assert.Empty(await RowsAsync(connection.Id, "rsBatchFail"));
    }

    private static MappedRecord Record(string id, string note = "first") => new(id, null, $$"""{"id":"{{id}}","note":"{{note}}"}""");

    private async Task<bool> StoreAllAsync(Dataset dataset, IReadOnlyList<DataPage.Ok> pages)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RecordStore>().SavePagesAsync(dataset, Owner, pages, false, CancellationToken.None);
    }

    [Fact]
    public async Task TheLastPageOfAFullRead_MarksDeletedOnlyWhatItDidNotWrite()
    {
        var connection = await ConnectionAsync();
        var first = await DatasetAsync(connection, "rsUnseen");
        var records = Enumerable.Range(0, 5).Select(i => new MappedRecord($"u-{i}", null, $$$"""{"id":"u-{{{i}}}","metadata":{"isDeleted":false}}""")).ToList();
        Assert.True(await StoreAsync(first, new DataPage.Ok(records, records.Count, null), markUnseenDeleted: true));

        // The next full read starts later and no longer finds u-1 and u-3 at the platform.
        await Task.Delay(10);
        var second = await DatasetAsync(connection, "rsUnseen");
        var seen = records.Where(r => r.Id is not ("u-1" or "u-3")).ToList();
        Assert.True(await StoreAsync(second, new DataPage.Ok(seen, seen.Count, null), markUnseenDeleted: true));

        var rows = await RowsAsync(connection.Id, "rsUnseen");
        var deleted = rows.Where(r => System.Text.Json.Nodes.JsonNode.Parse(r.Data)!["metadata"]!["isDeleted"]!.GetValue<bool>()).Select(r => r.RecordId);
        Assert.Equal(["u-1", "u-3"], deleted);
        Assert.Equal(5, rows.Count);

        // On SQLite the statement reads only the records written before the read started, through the Updated index.
        if (app.Provider == DatabaseProvider.Sqlite)
        {
            var plan = await app.WithDbAsync(async db =>
            {
                await db.Database.OpenConnectionAsync();
                return await Infrastructure.QueryPlans.ExplainSqliteAsync(db.Database.GetDbConnection(), RecordStore.UnseenSql(postgres: false, windowed: true),
                    [("@now", "x"), ("@modified", "x"), ("@connection", connection.Id.ToString().ToUpperInvariant()), ("@type", "rsUnseen"), ("@started", "x"), ("@from", "x")]);
            });
            Assert.Contains(plan, l => l.Contains("USING INDEX IX_records_ConnectionId_DataType_Updated (ConnectionId=? AND DataType=? AND Updated<?)", StringComparison.Ordinal));
        }
        else
        {
            // PostgreSQL, at the end of a full read of 2,000 records with fresh statistics: of the two indexes that lead
            // with the connection and the data type, the range on Updated (nothing written before the read started)
            // picks the one that ends with it; the record-id index would read every record of the type.
            var many = Enumerable.Range(0, 2000).Select(i => new MappedRecord($"p-{i:D4}", null, $$$"""{"id":"p-{{{i}}}"}""")).ToList();
            var read = await DatasetAsync(connection, "rsUnseenPlan");
            var started = DateTime.UtcNow;
            await Task.Delay(10);
            Assert.True(await StoreAsync(read, new DataPage.Ok(many, many.Count, "2")));
            var plan = await app.WithDbAsync(async db =>
            {
                await db.Database.ExecuteSqlRawAsync("ANALYZE records");
                await db.Database.OpenConnectionAsync();
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "EXPLAIN " + RecordStore.UnseenSql(postgres: true, windowed: false);
                foreach (var (name, value) in new (string, object)[] { ("now", DateTime.UtcNow), ("modified", "x"), ("connection", connection.Id), ("type", "rsUnseenPlan"), ("started", started) })
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = value;
                    command.Parameters.Add(parameter);
                }

                var lines = new List<string>();
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    lines.Add(reader.GetString(0));
                }

                return lines;
            });
            Assert.Contains(plan, l => l.Contains("Index Scan on \"IX_records_ConnectionId_DataType_Updated\"", StringComparison.Ordinal)
                                       || l.Contains("Index Scan using \"IX_records_ConnectionId_DataType_Updated\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AReadsPageCache_IsWidenedOnSqlite_ForTheReadOnly()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
        var store = scope.ServiceProvider.GetRequiredService<RecordStore>();
        if (app.Provider != DatabaseProvider.Sqlite)
        {
            // Nothing to widen on PostgreSQL: the scope is a no-op.
            await using (await store.WidenCacheAsync(CancellationToken.None))
            {
            }

            return;
        }

        Assert.Equal(-2000, await CacheSizeAsync(db));
        await using (await store.WidenCacheAsync(CancellationToken.None))
        {
            Assert.Equal(-16 * 1024, await CacheSizeAsync(db));
        }

        Assert.Equal(-2000, await CacheSizeAsync(db));

        static async Task<long> CacheSizeAsync(ConsentryDbContext db)
        {
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA cache_size;";
            return (long)(await command.ExecuteScalarAsync())!;
        }
    }

    private async Task<Core.Connections.Connection> ConnectionAsync()
    {
        var (companyId, connectionId) = await app.LinkAsync("sbac", _user);
        // Its own reads done first, so nothing else writes beside the test.
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, "company", "chartOfAccounts", "customers", "invoices"));
        return await app.WithDbAsync(db => db.Connections.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == Guid.Parse(connectionId)));
    }

    /// <summary>A dataset leased to the test (Complete, so no worker claims it: the store's fence checks the owner only).</summary>
    private Task<Dataset> DatasetAsync(Core.Connections.Connection connection, string dataType) => app.WithDbAsync(async db =>
    {
        var now = DateTime.UtcNow;
        var dataset = new Dataset
        {
            Id = Guid.CreateVersion7(), ClientId = connection.ClientId, CompanyId = connection.CompanyId, ConnectionId = connection.Id,
            ReadId = Guid.CreateVersion7(), DataType = dataType, Status = DatasetStatus.Complete, Requested = now, Started = now,
            NextAttemptAt = now, LeaseOwner = Owner, LeaseExpiresAt = now.AddHours(1),
        };
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync();
        db.Entry(dataset).State = EntityState.Detached;
        return dataset;
    });

    private async Task<bool> StoreAsync(Dataset dataset, DataPage.Ok page, bool markUnseenDeleted = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RecordStore>().SavePageAsync(dataset, Owner, page, markUnseenDeleted, CancellationToken.None);
    }

    private Task<List<CachedRecord>> RowsAsync(Guid connectionId, string dataType) => app.WithDbAsync(db =>
        db.Records.IgnoreQueryFilters().AsNoTracking().Where(r => r.ConnectionId == connectionId && r.DataType == dataType)
            .OrderBy(r => r.RecordId).ToListAsync());

    private static object Comparable(CachedRecord r) => (r.ClientId, r.CompanyId, r.ConnectionId, r.RecordId, r.ModifiedDate, r.Data);

    /// <summary>The statement the store used until the prepared/<c>unnest</c> path (commit c8d9a34), kept here as the reference.</summary>
    private static Task<int> ReferenceUpsertAsync(ConsentryDbContext db, Dataset dataset, IReadOnlyList<MappedRecord> rows, DateTime now)
    {
        var postgres = db.Database.IsNpgsql();
        var sql = postgres
            ? """
              INSERT INTO records ("Id", "ClientId", "CompanyId", "ConnectionId", "DataType", "RecordId", "ModifiedDate", "Updated", "Data")
              SELECT (x->>'i')::uuid, @client, @company, @connection, @type, x->>'r', (x->>'m')::timestamptz, @now, x->'d'
              FROM jsonb_array_elements(CAST(@rows AS jsonb)) AS x
              """
            : """
              INSERT INTO records ("Id", "ClientId", "CompanyId", "ConnectionId", "DataType", "RecordId", "ModifiedDate", "Updated", "Data")
              SELECT json_extract(value, '$.i'), @client, @company, @connection, @type, json_extract(value, '$.r'),
                     json_extract(value, '$.m'), @now, json_extract(value, '$.d')
              FROM json_each(@rows) WHERE true
              """;
        var json = new System.Text.StringBuilder("[");
        foreach (var row in rows)
        {
            var id = Guid.CreateVersion7().ToString();
            var modified = row.SourceModifiedDate?.ToString(postgres ? "O" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
            json.Append(json.Length == 1 ? "" : ",")
                .Append($$"""{"i":"{{(postgres ? id : id.ToUpperInvariant())}}","r":{{System.Text.Json.JsonSerializer.Serialize(row.Id)}},""")
                .Append(modified is null ? "" : "\"m\":\"" + modified + "\",").Append("\"d\":").Append(row.Json).Append('}');
        }

        return RawSql.ExecuteAsync(db, sql, new Dictionary<string, object?>
        {
            ["client"] = dataset.ClientId, ["company"] = dataset.CompanyId, ["connection"] = dataset.ConnectionId,
            ["type"] = dataset.DataType, ["now"] = now, ["rows"] = json.Append(']').ToString(),
        }, CancellationToken.None);
    }
}

public sealed class RecordStoreTests_Sqlite(SqliteSyncApp app) : RecordStoreTests(app), IClassFixture<SqliteSyncApp>;

public sealed class RecordStoreTests_Postgres(PostgresSyncApp app) : RecordStoreTests(app), IClassFixture<PostgresSyncApp>;
