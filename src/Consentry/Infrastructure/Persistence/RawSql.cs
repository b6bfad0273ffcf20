using System.Data.Common;
using System.Globalization;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Consentry.Infrastructure.Persistence;

/// <summary>
/// The few statements LINQ cannot express (claims with <c>UPDATE … RETURNING</c> over a locked sub-select, bulk
/// upserts), run on the context's own connection and transaction, with values written the way EF writes them.
/// </summary>
public static class RawSql
{
    /// <summary>Runs <paramref name="sql"/> and reads the Guid in the first column of every row.</summary>
    public static async Task<List<Guid>> ReadIdsAsync(ConsentryDbContext db, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct)
    {
        var postgres = db.Database.IsPostgres();
        return await WithCommandAsync(db, sql, parameters, async command =>
        {
            var ids = new List<Guid>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(postgres ? reader.GetGuid(0) : Guid.Parse(reader.GetString(0)));
            }

            return ids;
        }, ct);
    }

    /// <summary>Runs <paramref name="sql"/> and returns the number of rows it changed.</summary>
    public static Task<int> ExecuteAsync(ConsentryDbContext db, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct) =>
        WithCommandAsync(db, sql, parameters, command => command.ExecuteNonQueryAsync(ct), ct);

    private static async Task<T> WithCommandAsync<T>(
        ConsentryDbContext db, string sql, IReadOnlyDictionary<string, object?> parameters, Func<DbCommand, Task<T>> run, CancellationToken ct)
    {
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
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@" + name;
                parameter.Value = Value(value, command is Microsoft.Data.Sqlite.SqliteCommand);
                command.Parameters.Add(parameter);
            }

            return await run(command);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    /// <summary>SQLite holds EF's DateTimes and Guids as text in these exact forms; PostgreSQL takes them natively.</summary>
    private static object Value(object? value, bool sqlite) => (value, sqlite) switch
    {
        (null, _) => DBNull.Value,
        (DateTime time, true) => time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        (Guid id, true) => id.ToString().ToUpperInvariant(),
        _ => value,
    };
}
