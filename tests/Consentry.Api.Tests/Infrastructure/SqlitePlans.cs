using System.Data.Common;
using System.Text.RegularExpressions;

namespace Consentry.Api.Tests.Infrastructure;

/// <summary>
/// SQLite's <c>EXPLAIN QUERY PLAN</c> for a command EF sent (recorded with its parameters), and the plan lines that read
/// more than the rows asked for: a scan of a table, or a search by the tenant column alone.
/// </summary>
public static partial class SqlitePlans
{
    /// <summary>
    /// The plan of each statement of <paramref name="commandText"/> (EF batches several, separated by <c>;\n</c>), one
    /// line per plan step. Only the plan is asked for: nothing is executed.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ExplainAsync(DbConnection connection, string commandText,
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

            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetValue(reader.FieldCount - 1)?.ToString() ?? "");
            }
        }

        return lines;
    }

    /// <summary>
    /// The lines of a plan that scan a table (not a subquery's own rows, a constant row or a JSON array) or search one by
    /// <c>ClientId</c> alone, except through <paramref name="configurationIndexes"/>: indexes of a client's own
    /// configuration (its products, say), which holds a handful of rows however much traffic the client has.
    /// </summary>
    public static IEnumerable<string> Unselective(IReadOnlyList<string> plan, params string[] configurationIndexes)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var subqueries = plan.Select(l => Subquery().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        foreach (var line in plan)
        {
            if (Scan().Match(line) is { Success: true } scan && !subqueries.Contains(scan.Groups[1].Value)
                && scan.Groups[1].Value is not ("CONSTANT" or "json_each"))
            {
                yield return line;
            }
            else if (TenantOnly().Match(line) is { Success: true } tenant && !configurationIndexes.Contains(tenant.Groups[1].Value))
            {
                yield return line;
            }
        }
    }

    [GeneratedRegex(@"^(?:CO-ROUTINE|MATERIALIZE) (\S+)")]
    private static partial Regex Subquery();

    [GeneratedRegex(@"^SCAN (\S+)")]
    private static partial Regex Scan();

    [GeneratedRegex(@"INDEX (\S+) \(ClientId=\?\)")]
    private static partial Regex TenantOnly();
}
