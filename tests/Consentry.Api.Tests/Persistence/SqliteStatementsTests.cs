using Consentry.Core.Clients;
using Consentry.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Persistence;

/// <summary>
/// A pooled context's SQLite connection stays open and keeps its prepared statements (<c>SqliteStatements.cs</c>):
/// the same query is compiled once per connection, not once per request, and still answers for the values it is given.
/// </summary>
public sealed class SqliteStatementsTests : IAsyncLifetime
{
    private const int SqliteDbStatusStmtUsed = 3;
    private const int SqliteDbConfigEnableQpsg = 1007;
    private readonly string _directory = Directory.CreateTempSubdirectory("consentry-statements-").FullName;
    private DbContextOptions<ConsentryDbContext> _options = null!;

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "test.db")}";

    public async Task InitializeAsync()
    {
        var builder = new DbContextOptionsBuilder<ConsentryDbContext>();
        builder.UseConsentryDatabase(DatabaseProvider.Sqlite, ConnectionString);
        _options = builder.Options;
        await using var db = new ConsentryDbContext(_options);
        await db.Database.EnsureCreatedAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ARepeatedQuery_RunsOnePreparedStatement_OnAConnectionThatStaysOpen_AcrossPoolReturns()
    {
        var names = await AddClientsAsync("Alpha", "Beta", "Gamma");
        await using var services = Pool();
        var pool = services.GetRequiredService<IDbContextFactory<ConsentryDbContext>>();
        SqliteConnection? connection = null;
        var closes = 0;

        // Five requests in turn, each renting the one pooled context, reading a client by id, returning the context.
        for (var i = 0; i < 5; i++)
        {
            var (id, name) = names[i % names.Count];
            await using var db = await pool.CreateDbContextAsync();
            Assert.Equal(name, await db.Clients.Where(c => c.Id == id).Select(c => c.Name).SingleAsync());
            var current = (SqliteConnection)db.Database.GetDbConnection();
            if (connection is null)
            {
                connection = current;
                connection.StateChange += (_, e) => closes += e.CurrentState == System.Data.ConnectionState.Closed ? 1 : 0;
            }

            Assert.Same(connection, current);
        }

        Assert.NotNull(connection);
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        Assert.Equal(0, closes);
        // One statement text, kept; SQLite itself still holds its compiled program after the last request finished.
        Assert.Equal(1, SqliteStatements.CacheOf(connection).Count);
        Assert.True(StatementMemory(connection) > 0, "SQLite holds no prepared statement on the connection");
    }

    [Fact]
    public async Task APagedQuery_KeepsItsPlanWhateverTheLimitBound_AndAnswersForEachPage()
    {
        var names = (await AddClientsAsync("A", "B", "C", "D", "E")).Select(c => c.Name).Order().ToList();
        await using var db = new ConsentryDbContext(_options);
        for (var size = 1; size <= 3; size++)
        {
            for (var skip = 0; skip < 5; skip++)
            {
                var page = await db.Clients.OrderBy(c => c.Name).Skip(skip).Take(size).Select(c => c.Name).ToListAsync();
                Assert.Equal(names.Skip(skip).Take(size), page);
            }
        }

        // SQLite's planner stability guarantee: with it off, binding a LIMIT or OFFSET parameter marks the statement
        // to be compiled again on its next step, even when the value bound is the same, so no kept statement survives.
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        Assert.Equal(SQLitePCL.raw.SQLITE_OK, SQLitePCL.raw.sqlite3_db_config(connection.Handle, SqliteDbConfigEnableQpsg, -1, out var on));
        Assert.Equal(1, on);
    }

    [Fact]
    public async Task DisposingTheContextForGood_ClosesItsConnection_AndFinalizesItsStatements()
    {
        var (id, _) = (await AddClientsAsync("Alpha"))[0];
        SqliteConnection connection;
        await using (var db = new ConsentryDbContext(_options))
        {
            Assert.True(await db.Clients.AnyAsync(c => c.Id == id));
            connection = (SqliteConnection)db.Database.GetDbConnection();
            Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        }

        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
    }

    [Fact]
    public async Task Writes_ThroughKeptStatements_CommitAndRollBackWithTheirTransaction()
    {
        await using var services = Pool();
        var pool = services.GetRequiredService<IDbContextFactory<ConsentryDbContext>>();
        await using (var db = await pool.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Clients.Add(NewClient("Rolled back 1"));
            await db.SaveChangesAsync();
            db.Clients.Add(NewClient("Rolled back 2"));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        await using (var db = await pool.CreateDbContextAsync())
        {
            // The same INSERT text again, now outside any transaction: the kept command must not carry the old one.
            db.Clients.Add(NewClient("Kept"));
            await db.SaveChangesAsync();
            Assert.Equal(["Kept"], await db.Clients.Select(c => c.Name).ToListAsync());
        }
    }

    [Fact]
    public async Task MoreStatementsThanItKeeps_EveryOneStillAnswers_AndTheCacheStaysBounded()
    {
        await using var db = new ConsentryDbContext(_options);
        for (var i = 0; i < SqliteStatementCache.Capacity + 40; i++)
        {
            // A distinct text each time (the number is in the SQL), then the first ones again after they were dropped.
#pragma warning disable EF1002 // a number the test makes, not input
            Assert.Equal(i, await db.Database.SqlQueryRaw<int>($"SELECT {i} AS \"Value\"").SingleAsync());
#pragma warning restore EF1002
        }

        Assert.Equal(3, await db.Database.SqlQueryRaw<int>("SELECT 3 AS \"Value\"").SingleAsync());
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        Assert.Equal(SqliteStatementCache.Capacity, SqliteStatements.CacheOf(connection).Count);
    }

    [Fact]
    public async Task ATextAlreadyRunning_GetsAStatementOfItsOwn_AndTheKeptOneComesBackAfterwards()
    {
        await using var db = new ConsentryDbContext(_options);
        await db.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var cache = new SqliteStatementCache();

        var first = cache.Rent(connection, "SELECT 1");
        Assert.NotNull(first);
        Assert.Null(cache.Rent(connection, "SELECT 1"));
        cache.Return(first);
        Assert.Same(first, cache.Rent(connection, "SELECT 1"));
    }

    /// <summary>A pool of one context, as the host registers it (disposing the provider disposes the pooled context).</summary>
    private ServiceProvider Pool() => new ServiceCollection()
        .AddPooledDbContextFactory<ConsentryDbContext>(o => o.UseConsentryDatabase(DatabaseProvider.Sqlite, ConnectionString), poolSize: 1)
        .BuildServiceProvider();

    private async Task<List<(Guid Id, string Name)>> AddClientsAsync(params string[] names)
    {
        await using var db = new ConsentryDbContext(_options);
        var clients = names.Select(NewClient).ToList();
        db.Clients.AddRange(clients);
        await db.SaveChangesAsync();
        return [.. clients.Select(c => (c.Id, c.Name))];
    }

    private static Client NewClient(string name) => new() { Id = Guid.NewGuid(), Name = name, Created = DateTime.UtcNow };

    /// <summary>Bytes of compiled statements SQLite holds on the connection (<c>SQLITE_DBSTATUS_STMT_USED</c>).</summary>
    private static int StatementMemory(SqliteConnection connection)
    {
        Assert.Equal(SQLitePCL.raw.SQLITE_OK, SQLitePCL.raw.sqlite3_db_status(connection.Handle, SqliteDbStatusStmtUsed, out var used, out _, 0));
        return used;
    }
}
