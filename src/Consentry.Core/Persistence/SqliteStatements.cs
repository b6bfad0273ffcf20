using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;

namespace Consentry.Core.Persistence;

// Prepared SQLite statements kept across requests. Hand-written: Microsoft.Data.Sqlite keeps a statement only while
// its SqliteCommand lives and its connection stays open, EF Core makes a new command for every query and closes the
// connection after it (dotnet/efcore#14044, open), and no package caches statements. Without this SQLite parses and
// plans every statement again on every request: 27 % of a warm GET /companies/{id}'s server CPU, against ≈ 2 % to run
// it (docs/benchmarks.md, "Request path, round 4" and round 5). Two parts: each pooled DbContext keeps its SQLite
// connection open for its whole life (KeptOpenSqliteConnection), and the commands EF creates on it borrow a prepared
// statement per SQL text from that connection (SqliteStatementCache).

/// <summary>
/// EF Core's SQLite connection, except that it stays open once opened until its DbContext is disposed for good: EF's
/// "close" after each query and the pool's reset between requests leave it open, so its prepared statements survive.
/// A pooled DbContext serves one request or job at a time, so its connection is never used by two at once; disposing
/// the context (the pool's overflow, the host's shutdown) closes and disposes it as before.
/// </summary>
/// <remarks>
/// Derives from EF's internal <c>SqliteRelationalConnection</c> (registered with <c>ReplaceService</c>) to keep the
/// provider's own set-up of each connection (its functions); only the two close hooks differ. One connection per
/// pooled context means up to the pool's size of open SQLite handles, each with its page cache (2 MiB at most by
/// default), like the idle connections Microsoft.Data.Sqlite's own pool keeps.
/// </remarks>
[SuppressMessage("Usage", "EF1001:Internal EF Core API usage.", Justification = "The provider's connection, extended only in its documented close hooks.")]
internal sealed class KeptOpenSqliteConnection(
    RelationalConnectionDependencies dependencies,
    IRawSqlCommandBuilder rawSqlCommandBuilder,
    IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    /// <summary>The write gate this connection holds while its transaction lasts (<see cref="SqliteWriteGate"/>), or null.</summary>
    private SemaphoreSlim? _heldGate;

    protected override void CloseDbConnection()
    {
        // Kept open: EF closes after every query and on the pool's reset; Dispose still closes it.
    }

    protected override Task CloseDbConnectionAsync() => Task.CompletedTask;

    protected override DbTransaction ConnectionBeginTransaction(IsolationLevel isolationLevel)
    {
        var gate = SqliteWriteGate.For((SqliteConnection)DbConnection);
        var held = gate is not null && SqliteWriteGate.Enter(gate);
        try
        {
            var transaction = base.ConnectionBeginTransaction(isolationLevel);
            _heldGate = held ? gate : null;
            return transaction;
        }
        catch when (held)
        {
            SqliteWriteGate.Leave(gate!);
            throw;
        }
    }

    protected override async ValueTask<DbTransaction> ConnectionBeginTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken = default)
    {
        var gate = SqliteWriteGate.For((SqliteConnection)DbConnection);
        var held = gate is not null && await SqliteWriteGate.EnterAsync(gate, cancellationToken);
        try
        {
            var transaction = await base.ConnectionBeginTransactionAsync(isolationLevel, cancellationToken);
            _heldGate = held ? gate : null;
            return transaction;
        }
        catch when (held)
        {
            SqliteWriteGate.Leave(gate!);
            throw;
        }
    }

    // EF ends every transaction it began (commit, rollback, dispose, the pool's reset) with UseTransaction(null).
    public override IDbContextTransaction? UseTransaction(DbTransaction? transaction, Guid transactionId)
    {
        var result = base.UseTransaction(transaction, transactionId);
        LeaveGateIfEnded();
        return result;
    }

    public override async Task<IDbContextTransaction?> UseTransactionAsync(DbTransaction? transaction, Guid transactionId, CancellationToken cancellationToken = default)
    {
        var result = await base.UseTransactionAsync(transaction, transactionId, cancellationToken);
        if (LeaveGateIfEnded())
        {
            await SqliteWriteGate.HandOff();
        }

        return result;
    }

    /// <summary>True when the gate went to a waiting writer.</summary>
    private bool LeaveGateIfEnded()
    {
        if (CurrentTransaction is null && _heldGate is { } gate)
        {
            _heldGate = null;
            return SqliteWriteGate.Leave(gate);
        }

        return false;
    }
}

/// <summary>
/// Hands EF a <see cref="CachedStatementCommand"/> instead of a new <see cref="SqliteCommand"/> for every command it
/// creates on a SQLite connection, so a statement text seen before on that connection runs its prepared statement.
/// </summary>
internal sealed class SqliteStatements : DbCommandInterceptor
{
    private static readonly SqliteStatements Instance = new();

    /// <summary>Keeps each context's connection open and its statements prepared (this file's two parts).</summary>
    [SuppressMessage("Usage", "EF1001:Internal EF Core API usage.", Justification = "ReplaceService of the provider's connection, see KeptOpenSqliteConnection.")]
    public static DbContextOptionsBuilder Keep(DbContextOptionsBuilder options) =>
        options.ReplaceService<ISqliteRelationalConnection, KeptOpenSqliteConnection>().AddInterceptors(Instance);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SqliteConnection, SqliteStatementCache> Caches = [];

    public override InterceptionResult<DbCommand> CommandCreating(CommandCorrelatedEventData eventData, InterceptionResult<DbCommand> result) =>
        eventData.Connection is SqliteConnection connection
            ? InterceptionResult<DbCommand>.SuppressWithResult(new CachedStatementCommand(connection, CacheOf(connection)))
            : result;

    /// <summary>The statements kept for <paramref name="connection"/>.</summary>
    internal static SqliteStatementCache CacheOf(SqliteConnection connection) => Caches.GetValue(connection, _ => new SqliteStatementCache());
}

/// <summary>
/// One connection's prepared statements by SQL text, the least recently used dropped (and finalized) past
/// <see cref="Capacity"/>. Not thread-safe, like the connection it belongs to.
/// </summary>
internal sealed class SqliteStatementCache
{
    /// <summary>Distinct statements kept per connection: the hot paths use a few dozen; a statement is a few KiB of SQLite's memory.</summary>
    public const int Capacity = 64;

    private readonly Dictionary<string, LinkedListNode<Entry>> _byText = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recent = new();

    public int Count => _byText.Count;

    /// <summary>The kept command for <paramref name="text"/>, or a new one kept from now on; null when the kept one is in use (a nested reader of the same text).</summary>
    public PreparedCommand? Rent(SqliteConnection connection, string text)
    {
        if (_byText.TryGetValue(text, out var node))
        {
            if (node.Value.InUse)
            {
                return null;
            }

            _recent.Remove(node);
            _recent.AddFirst(node);
            node.Value.InUse = true;
            return node.Value.Command;
        }

        if (_byText.Count >= Capacity && _recent.Last is { Value.InUse: false } oldest)
        {
            _recent.RemoveLast();
            _byText.Remove(oldest.Value.Command.CommandText);
            oldest.Value.Command.Dispose();
        }

        if (_byText.Count >= Capacity)
        {
            return null;
        }

        var command = new PreparedCommand { Connection = connection, CommandText = text };
        node = _recent.AddFirst(new Entry(command) { InUse = true });
        _byText[text] = node;
        return command;
    }

    public void Return(PreparedCommand command)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        if (_byText.TryGetValue(command.CommandText, out var node) && ReferenceEquals(node.Value.Command, command))
        {
            // A reader still open (disposed after its command, against EF's order): its statement cannot be reused yet.
            if (command.ReaderOpen)
            {
                _recent.Remove(node);
                _byText.Remove(command.CommandText);
                return;
            }

            node.Value.InUse = false;
        }
    }

    private sealed class Entry(PreparedCommand command)
    {
        public PreparedCommand Command { get; } = command;

        public bool InUse { get; set; }
    }
}

/// <summary>A <see cref="SqliteCommand"/> that can tell whether its reader is still open.</summary>
internal sealed class PreparedCommand : SqliteCommand
{
    public bool ReaderOpen => DataReader is not null;
}

/// <summary>
/// The command EF (or raw SQL on the context's connection) fills in: text, transaction, timeout and parameters are
/// held here and handed, when it runs, to the connection's kept <see cref="PreparedCommand"/> for that text, which
/// goes back to the cache when this command is disposed.
/// </summary>
internal sealed class CachedStatementCommand(SqliteConnection connection, SqliteStatementCache cache) : DbCommand
{
    private readonly ParameterList _parameters = new();
    private readonly SqliteConnection _connection = connection;
    private string _text = "";
    private SqliteCommand? _running;
    private bool _kept;
    private SemaphoreSlim? _gate;

    [AllowNull]
    public override string CommandText
    {
        get => _text;
        set
        {
            ReleaseRunning();
            _text = value ?? "";
        }
    }

    public override int CommandTimeout { get; set; } = 30;

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new ArgumentException("SQLite runs text commands only.", nameof(value));
            }
        }
    }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection
    {
        get => _connection;
        set
        {
            // Its statements belong to the connection it was made on; EF and RawSql never move a command.
            if (!ReferenceEquals(value, _connection))
            {
                throw new NotSupportedException("A cached-statement command stays on the connection that made it.");
            }
        }
    }

    protected override DbParameterCollection DbParameterCollection => _parameters;

    protected override DbTransaction? DbTransaction { get; set; }

    public override void Cancel()
    {
    }

    public override void Prepare() => Running().Prepare();

    public override int ExecuteNonQuery()
    {
        EnterGateIfWrite();
        try
        {
            return Running().ExecuteNonQuery();
        }
        finally
        {
            LeaveGate();
        }
    }

    public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        await EnterGateIfWriteAsync(cancellationToken);
        int result;
        try
        {
            result = Running().ExecuteNonQuery();
        }
        catch
        {
            LeaveGate();
            throw;
        }

        if (LeaveGate())
        {
            await SqliteWriteGate.HandOff();
        }

        return result;
    }

    public override object? ExecuteScalar()
    {
        EnterGateIfWrite();
        try
        {
            return Running().ExecuteScalar();
        }
        finally
        {
            LeaveGate();
        }
    }

    public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        await EnterGateIfWriteAsync(cancellationToken);
        object? result;
        try
        {
            result = Running().ExecuteScalar();
        }
        catch
        {
            LeaveGate();
            throw;
        }

        if (LeaveGate())
        {
            await SqliteWriteGate.HandOff();
        }

        return result;
    }

    // A write's reader (INSERT … RETURNING) holds SQLite's write lock until it is done: the gate goes back when this
    // command is disposed, which EF's reader and RawSql do after the reader.
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        EnterGateIfWrite();
        try
        {
            return Running().ExecuteReader(behavior);
        }
        catch
        {
            LeaveGate();
            throw;
        }
    }

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        await EnterGateIfWriteAsync(cancellationToken);
        try
        {
            return Running().ExecuteReader(behavior);
        }
        catch
        {
            LeaveGate();
            throw;
        }
    }

    protected override DbParameter CreateDbParameter() => new SqliteParameter();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReleaseRunning();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// A write outside a transaction (EF's one-statement saves, <c>ExecuteUpdate</c>, raw SQL) takes its turn at the
    /// write gate too (<see cref="SqliteWriteGate"/>), so transactions handing the gate on do not starve it.
    /// </summary>
    private void EnterGateIfWrite()
    {
        if (_gate is null && DbTransaction is null && SqliteWriteGate.IsWrite(_text) && SqliteWriteGate.For(_connection) is { } gate
            && SqliteWriteGate.Enter(gate))
        {
            _gate = gate;
        }
    }

    private async ValueTask EnterGateIfWriteAsync(CancellationToken ct)
    {
        if (_gate is null && DbTransaction is null && SqliteWriteGate.IsWrite(_text) && SqliteWriteGate.For(_connection) is { } gate
            && await SqliteWriteGate.EnterAsync(gate, ct))
        {
            _gate = gate;
        }
    }

    /// <summary>True when the gate went to a waiting writer.</summary>
    private bool LeaveGate()
    {
        if (_gate is { } gate)
        {
            _gate = null;
            return SqliteWriteGate.Leave(gate);
        }

        return false;
    }

    /// <summary>The command that runs this text: the connection's kept one (bound to this command's values), or a one-off.</summary>
    private SqliteCommand Running()
    {
        if (_running is null)
        {
            var kept = cache.Rent(_connection, _text);
            _kept = kept is not null;
            _running = kept ?? new SqliteCommand(_text, _connection);
        }

        _running.Transaction = (SqliteTransaction?)DbTransaction;
        _running.CommandTimeout = CommandTimeout;
        _running.Parameters.Clear();
        foreach (SqliteParameter parameter in _parameters)
        {
            _running.Parameters.Add(parameter);
        }

        return _running;
    }

    private void ReleaseRunning()
    {
        LeaveGate();
        if (_running is null)
        {
            return;
        }

        if (_kept)
        {
            cache.Return((PreparedCommand)_running);
        }
        else
        {
            _running.Dispose();
        }

        _running = null;
    }

    private sealed class ParameterList : SqliteParameterCollection;
}
