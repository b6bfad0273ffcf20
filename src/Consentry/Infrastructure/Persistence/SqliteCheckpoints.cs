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
/// <c>SqlitePragmas</c>: a backstop, reached only if this service falls behind) and
/// this service runs a PASSIVE checkpoint on a connection of its own every <see cref="Interval"/>: it never blocks a
/// writer or a reader, and one with nothing to copy costs a look at the log's index and no disk sync.
/// Hand-written: neither Microsoft.Data.Sqlite nor EF Core checkpoints in the background.
/// </summary>
public sealed class SqliteCheckpoints(IOptions<ConsentryOptions> options, IConfiguration configuration, ILogger<SqliteCheckpoints> logger) : PeriodicWork
{
    private SqliteConnection? _connection;
    private bool _failing;

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(100);

    /// <summary>The log's length and the pages copied by the last checkpoint (for tests and the debug log).</summary>
    public (long LogPages, long CopiedPages) Last { get; private set; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Database.Provider == DatabaseProvider.Sqlite ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    public override async Task RunAsync(CancellationToken ct)
    {
        try
        {
            if (_connection is null)
            {
                _connection = new SqliteConnection(PersistenceSetup.ConnectionString(configuration, options.Value));
                await _connection.OpenAsync(ct);
            }

            await using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                // busy, log, checkpointed: -1 and -1 when the database is not in WAL mode (yet).
                Last = (reader.GetInt64(1), reader.GetInt64(2));
            }

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

    public override void Dispose()
    {
        _connection?.Dispose();
        base.Dispose();
    }
}
