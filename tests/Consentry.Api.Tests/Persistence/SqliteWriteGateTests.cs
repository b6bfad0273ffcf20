using Consentry.Core.Clients;
using Consentry.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Persistence;

/// <summary>
/// SQLite's writers take turns through an in-process gate (<c>SqliteWriteGate</c>): a second transaction on the same
/// database file waits without blocking its thread, starts when the first ends however it ends, and a transaction on
/// another file does not wait at all.
/// </summary>
public sealed class SqliteWriteGateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("consentry-write-gate-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("commit")]
    [InlineData("rollback")]
    [InlineData("dispose")]
    public async Task ASecondTransaction_WaitsWithoutItsThread_UntilTheFirstEnds(string ending)
    {
        var options = await DatabaseAsync("one.db");
        await using var first = new ConsentryDbContext(options);
        await using var second = new ConsentryDbContext(options);

        var holding = await first.Database.BeginTransactionAsync();
        first.Clients.Add(NewClient("First"));
        await first.SaveChangesAsync();

        // Without the gate SQLite's busy handler would hold this call (and its thread) until the first ends or 10 s pass.
        var waiting = second.Database.BeginTransactionAsync();
        Assert.False(waiting.IsCompleted, "the second transaction started while the first held the write lock");

        switch (ending)
        {
            case "commit": await holding.CommitAsync(); break;
            case "rollback": await holding.RollbackAsync(); break;
        }

        await holding.DisposeAsync();
        await using (var transaction = await waiting.WaitAsync(TimeSpan.FromSeconds(30)))
        {
            second.Clients.Add(NewClient("Second"));
            await second.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await using var check = new ConsentryDbContext(options);
        var expected = ending == "commit" ? new[] { "First", "Second" } : ["Second"];
        Assert.Equal(expected, await check.Clients.Select(c => c.Name).OrderBy(n => n).ToListAsync());
        // And the gate is free again: a third transaction starts at once.
        await using var third = await check.Database.BeginTransactionAsync().WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ATransactionLeftOpen_GivesTheGateBack_WhenItsContextIsDisposed()
    {
        var options = await DatabaseAsync("left-open.db");
        var abandoned = new ConsentryDbContext(options);
        await abandoned.Database.BeginTransactionAsync();
        abandoned.Clients.Add(NewClient("Never"));
        await abandoned.SaveChangesAsync();

        await using var next = new ConsentryDbContext(options);
        var waiting = next.Database.BeginTransactionAsync();
        Assert.False(waiting.IsCompleted);
        await abandoned.DisposeAsync();
        await using var transaction = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(await next.Clients.ToListAsync());
    }

    [Fact]
    public async Task TransactionsOnDifferentFiles_DoNotWaitForEachOther()
    {
        await using var one = new ConsentryDbContext(await DatabaseAsync("a.db"));
        await using var other = new ConsentryDbContext(await DatabaseAsync("b.db"));
        await using var holding = await one.Database.BeginTransactionAsync();
        var started = other.Database.BeginTransactionAsync();
        Assert.True(started.IsCompletedSuccessfully);
        await (await started).DisposeAsync();
    }

    [Fact]
    public async Task SaveChangesInItsOwnTransaction_TakesItsTurn()
    {
        var options = await DatabaseAsync("save.db");
        await using var first = new ConsentryDbContext(options);
        await using var second = new ConsentryDbContext(options);
        var holding = await first.Database.BeginTransactionAsync();

        // Two rows: EF wraps the save in a transaction of its own, which waits for the gate.
        second.Clients.AddRange(NewClient("A"), NewClient("B"));
        var saving = second.SaveChangesAsync();
        Assert.False(saving.IsCompleted);
        await holding.CommitAsync();
        await holding.DisposeAsync();
        Assert.Equal(2, await saving.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData("single save")]
    [InlineData("ExecuteUpdate")]
    [InlineData("raw SQL")]
    public async Task AWriteOutsideATransaction_TakesItsTurn_AndAReadDoesNot(string write)
    {
        var options = await DatabaseAsync("auto-commit.db");
        await using (var seed = new ConsentryDbContext(options))
        {
            seed.Clients.Add(NewClient("Seed"));
            await seed.SaveChangesAsync();
        }

        await using var first = new ConsentryDbContext(options);
        await using var second = new ConsentryDbContext(options);
        var holding = await first.Database.BeginTransactionAsync();
        await first.Clients.ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, "Held"));

        // A read goes on beside the writer (WAL), and sees the last commit.
        Assert.Equal("Seed", await second.Clients.Select(c => c.Name).SingleAsync());
        Task writing = write switch
        {
            "single save" => second.AddAsync(NewClient("Added")).AsTask().ContinueWith(_ => second.SaveChangesAsync()).Unwrap(),
            "ExecuteUpdate" => second.Clients.ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, c => c.Name + "!")),
            _ => second.Database.ExecuteSqlRawAsync("""UPDATE clients SET "Name" = "Name" || '!'"""),
        };
        Assert.False(writing.IsCompleted, "the write ran while a transaction held the write lock");
        await holding.CommitAsync();
        await holding.DisposeAsync();
        await writing.WaitAsync(TimeSpan.FromSeconds(30));

        await using var check = new ConsentryDbContext(options);
        var names = await check.Clients.Select(c => c.Name).OrderBy(n => n).ToListAsync();
        Assert.Equal(write == "single save" ? ["Added", "Held"] : new[] { "Held!" }, names);
    }

    [Fact]
    public async Task Leaving_TellsWhetherAWaitingWriterHasTheGateNow()
    {
        // A commit that hands the gate to a waiting writer steps aside for it (SqliteWriteGate.HandOff); one that finds
        // nobody waiting goes straight on.
        using var gate = new SemaphoreSlim(1, 1);
        Assert.True(SqliteWriteGate.Enter(gate));
        var waiting = SqliteWriteGate.EnterAsync(gate, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        Assert.True(SqliteWriteGate.Leave(gate));
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(SqliteWriteGate.Leave(gate));
        Assert.Equal(1, gate.CurrentCount);
    }

    [Theory]
    [InlineData("INSERT INTO clients VALUES (1)", true)]
    [InlineData("  update clients SET x = 1", true)]
    [InlineData("-- tag\nDELETE FROM clients", true)]
    [InlineData("REPLACE INTO t VALUES (1)", true)]
    [InlineData("CREATE INDEX i ON t (x)", true)]
    [InlineData("WITH d AS (SELECT 1) UPDATE t SET x = 1", true)]
    [InlineData("SELECT * FROM updates", false)]
    [InlineData("WITH d AS (SELECT 1) SELECT * FROM d", false)]
    [InlineData("INSERTED", false)]
    [InlineData("PRAGMA wal_checkpoint(PASSIVE);", false)]
    [InlineData("-- only a comment", false)]
    public void Writes_AreToldFromReads_ByTheirStatement(string sql, bool write) => Assert.Equal(write, SqliteWriteGate.IsWrite(sql));

    private async Task<DbContextOptions<ConsentryDbContext>> DatabaseAsync(string file)
    {
        var builder = new DbContextOptionsBuilder<ConsentryDbContext>();
        builder.UseConsentryDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(_directory, file)}");
        var options = builder.Options;
        await using var db = new ConsentryDbContext(options);
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        return options;
    }

    private static Client NewClient(string name) => new() { Id = Guid.NewGuid(), Name = name, Created = DateTime.UtcNow };
}
