using Consentry.Core.Persistence;
using Microsoft.Data.Sqlite;

namespace Consentry.Api.Tests.Persistence;

/// <summary>SQLite's memory statistics are off (<see cref="SqliteEngine"/>): their process-wide mutex was the hottest lock under load.</summary>
public sealed class SqliteEngineTests
{
    [Fact]
    public void MemoryStatistics_AreOff_SoNoAllocationTakesTheirLock()
    {
        Assert.True(SqliteEngine.MemoryStatisticsOff, "SQLite had started before its settings were applied");

        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE t (x TEXT); INSERT INTO t SELECT hex(randomblob(1000)) FROM (SELECT 1 UNION SELECT 2); SELECT count(*) FROM t;";
        Assert.Equal(2L, command.ExecuteScalar());

        // With the statistics on, an open connection and its cache hold counted memory; with them off SQLite counts nothing.
        Assert.Equal(0, SQLitePCL.raw.sqlite3_memory_used());
    }
}
