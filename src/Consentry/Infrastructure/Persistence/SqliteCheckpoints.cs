using Consentry.Core.Persistence;
using Consentry.Infrastructure.Options;
using Consentry.Infrastructure.Work;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Consentry.Infrastructure.Persistence;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file in the background, so that no request, journey step or
/// sync page pays for it. By default SQLite does it inside a commit: the commit that takes the log past 1,000 pages
/// runs the checkpoint before it returns (copying every page written since the last one and syncing the file), and a
/// sync read stores its pages one after another, so each such commit stalled the read (a 500-record page's commit took
/// 15 ms with it, 5 ms without; docs/benchmarks.md, "Sync, round 4"). Here every connection's own checkpoint waits
/// until the log is 10,000 pages long (<c>wal_autocheckpoint</c>, set with the other pragmas in Consentry.Core's
/// <c>SqlitePragmas</c>: a backstop, reached only if this service falls behind), and this service looks at the log
/// every <see cref="Interval"/> and, once <see cref="ThresholdPages"/> pages wait to be copied (SQLite's own
/// threshold, so pages rewritten often are not copied more often than before), runs a PASSIVE checkpoint on a
/// connection of its own: it never blocks a writer or a reader.
/// How long the log is, it reads from the header of the log's index (the <c>-shm</c> file, whose layout SQLite
/// documents: https://www.sqlite.org/walformat.html), as SQLite offers no call that tells it without checkpointing and
/// Microsoft.Data.Sqlite does not expose <c>sqlite3_wal_hook</c>. Hand-written: nothing in .NET checkpoints SQLite in
/// the background.
/// </summary>
public sealed class SqliteCheckpoints(IOptions<ConsentryOptions> options, IConfiguration configuration, ILogger<SqliteCheckpoints> logger) : PeriodicWork
{
    /// <summary>Pages waiting in the log before a checkpoint runs (SQLite's default <c>wal_autocheckpoint</c>).</summary>
    public const int ThresholdPages = 1_000;

    private SqliteConnection? _connection;
    private string? _indexPath;
    private bool _failing;

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(100);

    /// <summary>The log's length and the pages copied by the last checkpoint (for tests).</summary>
    public (long LogPages, long CopiedPages) Last { get; private set; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Database.Provider == DatabaseProvider.Sqlite ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    public override async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await OpenAsync(ct);
            if (WaitingPages(_indexPath) is { } waiting && waiting < ThresholdPages)
            {
                return;
            }

            await CheckpointAsync(ct);
            _failing = false;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Nothing is lost: the connections' own checkpoint (the backstop) still runs once the log is long.
            if (!_failing)
            {
                logger.LogWarning(e, "The background checkpoint of the SQLite log failed; it is tried again every {Interval} ms.", Interval.TotalMilliseconds);
            }

            _failing = true;
            _connection?.Dispose();
            _connection = null;
        }
    }

    /// <summary>A PASSIVE checkpoint now, whatever the log's length.</summary>
    public async Task CheckpointAsync(CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (await reader.ReadAsync(ct))
        {
            // busy, log, checkpointed: -1 and -1 when the database is not in WAL mode (yet).
            Last = (reader.GetInt64(1), reader.GetInt64(2));
        }
    }

    /// <summary>The service's own connection, and where its database's log index is (the file's name + <c>-shm</c>).</summary>
    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        if (_connection is null)
        {
            var connection = new SqliteConnection(PersistenceSetup.ConnectionString(configuration, options.Value));
            await connection.OpenAsync(ct);
            _indexPath = connection.DataSource is { Length: > 0 } file ? file + "-shm" : null;
            _connection = connection;
        }

        return _connection;
    }

    /// <summary>
    /// Pages in the log not yet copied into the database (<c>mxFrame - nBackfill</c> of the log index's header), or null
    /// when that cannot be read (no index yet, an unknown version, a header caught mid-write): then a checkpoint runs.
    /// </summary>
    internal static long? WaitingPages(string? indexPath)
    {
        if (indexPath is null || !File.Exists(indexPath))
        {
            return null;
        }

        Span<byte> header = stackalloc byte[136];
        using (var file = new FileStream(indexPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None))
        {
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                return null;
            }
        }

        // Two copies of the 48-byte WalIndexHdr (equal unless a writer is changing them), then WalCkptInfo at 96; in
        // the machine's own byte order. iVersion 3007000; mxFrame at 16; nBackfill at 96.
        var version = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (!BitConverter.IsLittleEndian || version != 3007000 || !header[..48].SequenceEqual(header.Slice(48, 48)))
        {
            return null;
        }

        var frames = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
        var copied = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header[96..]);
        return Math.Max(0, (long)frames - copied);
    }

    public override void Dispose()
    {
        _connection?.Dispose();
        base.Dispose();
    }
}
