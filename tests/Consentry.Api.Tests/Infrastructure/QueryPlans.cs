using System.Data.Common;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Consentry.Api.Tests.Infrastructure;

/// <summary>The plan a database chooses for the SQL EF Core generates for a query (SQLite's or PostgreSQL's EXPLAIN).</summary>
public static class QueryPlans
{
    /// <summary>
    /// <c>EXPLAIN QUERY PLAN</c> on SQLite, <c>EXPLAIN</c> on PostgreSQL, inside a transaction that is rolled back. On
    /// PostgreSQL sequential and plain index scans are off in it: the tests' few rows are cheaper to scan, and with
    /// those off a bitmap scan of the index the condition names is the way left, which shows the index serves it.
    /// </summary>
    public static async Task<string> ExplainAsync<T>(ConsentryDbContext db, IQueryable<T> query)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        var postgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (postgres)
        {
            await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off");
        }

        await using DbCommand command = query.CreateDbCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + command.CommandText;
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetValue(reader.FieldCount - 1)?.ToString() ?? "");
            }
        }

        await transaction.RollbackAsync();
        return string.Join('\n', lines);
    }
}
