namespace Consentry.Core.Persistence;

/// <summary>
/// Process-wide settings of the SQLite library itself, applied once before it starts (the first connection opened).
/// </summary>
/// <remarks>
/// Memory statistics off (<c>SQLITE_CONFIG_MEMSTATUS</c>, which SQLite's own docs recommend turning off when nothing reads
/// them): with them on, every allocation SQLite makes takes one process-wide mutex to count it, and under concurrent
/// requests that lock was the most contended thing in the server (perf, <c>GET /companies/{id}</c> at 32 connections:
/// futex waits and wakes on it; server CPU per request 447 → 213 µs with it off, docs/benchmarks.md). Consentry reads
/// none of the statistics (<c>sqlite3_memory_used</c>, <c>sqlite3_status</c>, soft heap limits). SQLite accepts the
/// setting only before it initialises, so the first SQLite use of the process must come through
/// <see cref="ConsentryDatabase.UseConsentryDatabase"/> (the host's does).
/// </remarks>
public static class SqliteEngine
{
    private const int SqliteConfigMemStatus = 9;
    private static readonly Lazy<bool> Configured = new(Apply);

    /// <summary>True when the settings are in force: false only if SQLite had already started in this process.</summary>
    public static bool MemoryStatisticsOff => Configured.Value;

    public static void Configure() => _ = Configured.Value;

    private static bool Apply()
    {
        SQLitePCL.Batteries_V2.Init();
        return SQLitePCL.raw.sqlite3_config(SqliteConfigMemStatus, 0) == SQLitePCL.raw.SQLITE_OK;
    }
}
