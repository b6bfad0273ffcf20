using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Consentry.Core.Persistence;

/// <summary>
/// One writer at a time per SQLite database file in this process, waited for without blocking a thread and in turn.
/// </summary>
/// <remarks>
/// Hand-written: SQLite has one writer, and a transaction that finds the write lock taken is left to SQLite's busy
/// handler, which puts the thread to sleep for 1, 2, 5, 10… ms between tries (Microsoft.Data.Sqlite, without a busy
/// timeout, for 150 ms). Under load every collision cost a blocked thread-pool thread and several times the holder's
/// few milliseconds, and the lock often sat free while its waiters slept: complete Link journeys left a third of the
/// machine idle (bench/journeys/notes.md, round 8). No package queues SQLite writers. Each EF transaction on SQLite
/// (<c>BEGIN IMMEDIATE</c>, which takes the write lock at once) first takes this gate and gives it back when the
/// transaction ends, however it ends (<c>KeptOpenSqliteConnection</c>); a write outside a transaction (a one-statement
/// save, <c>ExecuteUpdate</c>, raw SQL) holds it while it runs (<c>CachedStatementCommand</c>): the next waiter starts
/// the moment the lock is free. Other processes (the tools) and the background checkpoint still meet SQLite's busy
/// handler. A waiter that has not had the gate after <see cref="Patience"/> goes on without it, to SQLite's own wait
/// and its "database is locked", as before.
/// </remarks>
internal static class SqliteWriteGate
{
    /// <summary>As long as the busy timeout the connections are given.</summary>
    public static readonly TimeSpan Patience = SqlitePragmas.BusyTimeout;

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>The gate of <paramref name="connection"/>'s database file, or null for a database without one (in memory).</summary>
    public static SemaphoreSlim? For(SqliteConnection connection) =>
        connection.DataSource is { Length: > 0 } file ? Gates.GetOrAdd(file, _ => new SemaphoreSlim(1, 1)) : null;

    /// <summary>
    /// Whether <paramref name="sql"/> writes: it starts (after comments) with <c>INSERT</c>, <c>UPDATE</c>, <c>DELETE</c>,
    /// <c>REPLACE</c> or a schema change, or is a <c>WITH</c> that contains one of the first three. A read taken for a
    /// write only waits its turn; a write taken for a read meets SQLite's busy handler, as before the gate.
    /// </summary>
    public static bool IsWrite(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        while (text.StartsWith("--", StringComparison.Ordinal))
        {
            var end = text.IndexOf('\n');
            if (end < 0)
            {
                return false;
            }

            text = text[(end + 1)..].TrimStart();
        }

        foreach (var verb in WriteVerbs)
        {
            if (StartsWithWord(text, verb))
            {
                return true;
            }
        }

        return StartsWithWord(text, "WITH")
            && (text.Contains("INSERT ", StringComparison.OrdinalIgnoreCase) || text.Contains("UPDATE ", StringComparison.OrdinalIgnoreCase)
                || text.Contains("DELETE ", StringComparison.OrdinalIgnoreCase));
    }

    private static readonly string[] WriteVerbs = ["INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER"];

    private static bool StartsWithWord(ReadOnlySpan<char> text, string word) =>
        text.StartsWith(word, StringComparison.OrdinalIgnoreCase) && (text.Length == word.Length || !char.IsAsciiLetterOrDigit(text[word.Length]));

    /// <summary>Takes the gate, or after <see cref="Patience"/> gives up on it: true when it was taken (and must be released).</summary>
    public static bool Enter(SemaphoreSlim gate, CancellationToken ct = default) => gate.Wait(Patience, ct);

    /// <inheritdoc cref="Enter"/>
    public static Task<bool> EnterAsync(SemaphoreSlim gate, CancellationToken ct) => gate.WaitAsync(Patience, ct);

    /// <summary>Gives the gate back: true when a waiting writer has it now (its continuation is queued on this thread).</summary>
    public static bool Leave(SemaphoreSlim gate)
    {
        gate.Release();
        // An async waiter is handed the count inside Release (it stays 0); with nobody waiting it is 1 again.
        return gate.CurrentCount == 0;
    }

    /// <summary>
    /// After <see cref="Leave"/> handed the gate on: lets the next writer run before the rest of this request. The
    /// waiter's continuation is queued on this thread's own work queue, which the thread pool serves only when this
    /// thread's work item ends; until then the single writer sat idle (0.2–0.4 ms per hand-off, ≈ 20 % of the writer's
    /// time under a Link journey load, bench/journeys/notes.md). <see cref="Task.Yield"/> ends the work item here and
    /// queues the rest of this request to the pool's global queue, so the thread picks up the new holder at once.
    /// </summary>
    public static YieldAwaitable HandOff() => Task.Yield();
}
