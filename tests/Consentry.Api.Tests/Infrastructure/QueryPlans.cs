using System.Data.Common;
using System.Text.RegularExpressions;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Consentry.Api.Tests.Infrastructure;

/// <summary>
/// The plan a database chooses for the SQL EF Core generates for a query (SQLite's or PostgreSQL's EXPLAIN), or for a
/// command EF sent (recorded with its parameters), and on SQLite the plan lines that read more than the rows asked for.
/// </summary>
public static partial class QueryPlans
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

    /// <summary>
    /// SQLite's plan of each statement of a recorded command, <paramref name="commandText"/> (EF batches several, separated by <c>;\n</c>), one
    /// line per plan step. Only the plan is asked for: nothing is executed.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ExplainSqliteAsync(DbConnection connection, string commandText,
        IEnumerable<(string Name, object? Value)> parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(commandText);
        var values = parameters.ToList();
        var lines = new List<string>();
        foreach (var statement in commandText.Split(";\n").Select(t => t.Trim().TrimEnd(';')).Where(t => t.Length > 0))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + statement;
            foreach (var (name, value) in values)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            // EF names tables by alias ("FROM "connections" AS "c""): the plan says "SCAN c"; say the table too.
            var aliases = Alias().Matches(statement).ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value, StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var line = reader.GetValue(reader.FieldCount - 1)?.ToString() ?? "";
                lines.Add(Step().Replace(line, m => aliases.TryGetValue(m.Groups[2].Value, out var table)
                    ? $"{m.Groups[1].Value} {table} AS {m.Groups[2].Value}" : m.Value, 1));
            }
        }

        return lines;
    }

    /// <summary>
    /// The lines of a plan that scan a table (not a subquery's own rows, a constant row or a JSON array) or search one by
    /// <c>ClientId</c> alone, except those of <paramref name="small"/>: tables (scanned) or indexes (searched by the
    /// client) of rows that stay a handful however much traffic there is: a client's products, the key rotations.
    /// </summary>
    public static IEnumerable<string> Unselective(IReadOnlyList<string> plan, params string[] small)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var subqueries = plan.Select(l => Subquery().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        foreach (var line in plan)
        {
            if (Scan().Match(line) is { Success: true } scan && !subqueries.Contains(scan.Groups[1].Value)
                && scan.Groups[1].Value is not ("CONSTANT" or "json_each") && !small.Contains(scan.Groups[1].Value))
            {
                yield return line;
            }
            else if (TenantOnly().Match(line) is { Success: true } tenant && !small.Contains(tenant.Groups[1].Value))
            {
                yield return line;
            }
        }
    }

    [GeneratedRegex("\"(\\w+)\" AS \"(\\w+)\"")]
    private static partial Regex Alias();

    [GeneratedRegex(@"^(SCAN|SEARCH) (\S+)")]
    private static partial Regex Step();

    [GeneratedRegex(@"^(?:CO-ROUTINE|MATERIALIZE) (\S+)")]
    private static partial Regex Subquery();

    [GeneratedRegex(@"^SCAN (\S+)")]
    private static partial Regex Scan();

    [GeneratedRegex(@"INDEX (\S+) \(ClientId=\?\)")]
    private static partial Regex TenantOnly();
}
