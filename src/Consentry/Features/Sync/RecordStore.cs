using System.Text;
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
    public async Task<bool> SavePageAsync(Dataset dataset, string owner, DataPage.Ok page, string mapper, bool last, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var mapped = new Dictionary<string, MappedRecord>(StringComparer.Ordinal);
        foreach (var source in page.Records)
        {
            if (RecordMappers.Apply(mapper, source, now) is { } record)
            {
                mapped[record.Id] = record; // a platform repeating a record in one page: the last copy wins
            }
        }

        var read = dataset.RecordsRead + mapped.Count;
        var progress = last ? 99 : page.TotalResults is > 0 and var total ? (int)Math.Min(99, read * 100L / total) : dataset.Progress;
        var nextPage = dataset.NextPage + 1;
        var lease = now.AddSeconds(options.CurrentValue.LeaseSeconds);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var fenced = await db.Datasets.Where(d => d.Id == dataset.Id && d.LeaseOwner == owner).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.NextPage, nextPage)
            .SetProperty(d => d.RecordsRead, read)
            .SetProperty(d => d.TotalRecords, page.TotalResults)
            .SetProperty(d => d.Progress, progress)
            .SetProperty(d => d.StatusDescription, (string?)null)
            .SetProperty(d => d.LeaseExpiresAt, lease), ct);
        if (fenced == 0)
        {
            return false;
        }

        foreach (var chunk in mapped.Values.Chunk(RowsPerStatement))
        {
            await UpsertAsync(dataset, chunk, now, ct);
        }

        await transaction.CommitAsync(ct);
        dataset.NextPage = nextPage;
        dataset.RecordsRead = read;
        dataset.TotalRecords = page.TotalResults;
        dataset.Progress = progress;
        return true;
    }

    /// <summary>One multi-row INSERT … ON CONFLICT DO UPDATE (the same syntax on SQLite and PostgreSQL); EF has no upsert.</summary>
    private Task<int> UpsertAsync(Dataset dataset, MappedRecord[] rows, DateTime now, CancellationToken ct)
    {
        var json = db.Database.IsNpgsql() ? "CAST(@d{0} AS jsonb)" : "@d{0}";
        var sql = new StringBuilder("""INSERT INTO records ("Id", "ClientId", "CompanyId", "ConnectionId", "DataType", "RecordId", "ModifiedDate", "Updated", "Data") VALUES """);
        var parameters = new Dictionary<string, object?>
        {
            ["client"] = dataset.ClientId, ["company"] = dataset.CompanyId, ["connection"] = dataset.ConnectionId,
            ["type"] = dataset.DataType, ["now"] = now,
        };
        for (var i = 0; i < rows.Length; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(System.Globalization.CultureInfo.InvariantCulture,
                $"(@i{i}, @client, @company, @connection, @type, @r{i}, @m{i}, @now, {string.Format(System.Globalization.CultureInfo.InvariantCulture, json, i)})");
            parameters[$"i{i}"] = Guid.CreateVersion7();
            parameters[$"r{i}"] = rows[i].Id;
            parameters[$"m{i}"] = rows[i].SourceModifiedDate;
            parameters[$"d{i}"] = rows[i].Json;
        }

        sql.Append("""
             ON CONFLICT ("ConnectionId", "DataType", "RecordId") DO UPDATE
            SET "ModifiedDate" = excluded."ModifiedDate", "Updated" = excluded."Updated", "Data" = excluded."Data"
            """);
        return RawSql.ExecuteAsync(db, sql.ToString(), parameters, ct);
    }
}
