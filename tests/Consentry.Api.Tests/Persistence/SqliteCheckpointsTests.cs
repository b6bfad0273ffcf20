using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Options;
using Consentry.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consentry.Api.Tests.Persistence;

/// <summary>
/// SQLite's write-ahead log is copied back into the database by the host's background checkpoint
/// (<see cref="SqliteCheckpoints"/>), not inside the commit that takes it past 1,000 pages; each connection's own
/// checkpoint is only a backstop at 10,000 pages.
/// </summary>
public sealed class SqliteCheckpointsTests : IAsyncLifetime
{
    private const int PageSize = 4096;
    private readonly string _directory = Directory.CreateTempSubdirectory("consentry-checkpoints-").FullName;
    private DbContextOptions<ConsentryDbContext> _options = null!;

    private string DatabasePath => Path.Combine(_directory, "consentry.db");

    public async Task InitializeAsync()
    {
        var builder = new DbContextOptionsBuilder<ConsentryDbContext>();
        builder.UseConsentryDatabase(DatabaseProvider.Sqlite, $"Data Source={DatabasePath}");
        _options = builder.Options;
        await using var db = new ConsentryDbContext(_options);
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE probe (payload TEXT NOT NULL);");
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ACommit_NeverCheckpoints_BeforeTheBackstop_AndTheBackgroundCheckpointCopiesTheWholeLog()
    {
        await using var db = new ConsentryDbContext(_options);
        Assert.Equal(SqlitePragmas.BackstopCheckpointPages, await ScalarAsync(db, "PRAGMA wal_autocheckpoint;"));
        Assert.Equal(10_000, SqlitePragmas.BackstopCheckpointPages);

        // 60 commits of 100 KB each: about 1,500 pages of log, past SQLite's default checkpoint at 1,000.
        await WriteAsync(db, commits: 60);
        var waiting = SqliteCheckpoints.WaitingPages(DatabasePath + "-shm");
        Assert.True(waiting >= 1_500, $"{waiting} pages wait in the log: a commit checkpointed it before the backstop");
        var checkpoints = Checkpoints();
        await checkpoints.RunAsync(CancellationToken.None);
        var (log, copied) = checkpoints.Last;
        Assert.Equal(waiting, log);
        Assert.Equal(log, copied);
        Assert.Equal(0, SqliteCheckpoints.WaitingPages(DatabasePath + "-shm"));
        // The pages are in the database file itself now, not only in the log.
        Assert.True(new FileInfo(DatabasePath).Length >= 1_500L * PageSize, $"the database file is {new FileInfo(DatabasePath).Length} bytes");
        Assert.Equal(60, await ScalarAsync(db, "SELECT COUNT(*) FROM probe;"));

        // The next write starts the log again from its beginning. Below the threshold the service leaves it; a
        // checkpoint asked for copies only that write.
        await WriteAsync(db, commits: 1);
        waiting = SqliteCheckpoints.WaitingPages(DatabasePath + "-shm");
        Assert.InRange(waiting ?? -1, 1, 100);
        await checkpoints.RunAsync(CancellationToken.None);
        Assert.Equal((log, copied), checkpoints.Last);
        Assert.Equal(waiting, SqliteCheckpoints.WaitingPages(DatabasePath + "-shm"));
        await checkpoints.CheckpointAsync(CancellationToken.None);
        Assert.Equal((waiting!.Value, waiting.Value), checkpoints.Last);
    }

    [Fact]
    public async Task ACheckpoint_BesideAnOpenWriteTransaction_CopiesWhatIsCommitted_AndTheWriterGoesOn()
    {
        await using var db = new ConsentryDbContext(_options);
        await WriteAsync(db, commits: 10);
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await WriteAsync(db, commits: 1);
            // PASSIVE: it neither waits for the writer nor makes it wait.
            var checkpoints = Checkpoints();
            await checkpoints.CheckpointAsync(CancellationToken.None);
            Assert.True(checkpoints.Last.LogPages >= 250, $"the log holds {checkpoints.Last.LogPages} pages");
            Assert.Equal(checkpoints.Last.LogPages, checkpoints.Last.CopiedPages);
            await transaction.CommitAsync();
        }

        Assert.Equal(11, await ScalarAsync(db, "SELECT COUNT(*) FROM probe;"));
    }

    [Fact]
    public async Task TheHost_CheckpointsInTheBackground_OnceThePagesWaitingPassTheThreshold()
    {
        await using var app = new ConsentryApp(DatabaseProvider.Sqlite);
        await app.InitializeAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE probe (payload TEXT NOT NULL);");
            await WriteAsync(db, commits: 60);
        }

        var checkpoints = app.Services.GetRequiredService<SqliteCheckpoints>();
        var last = await Eventually.ReachAsync(() => Task.FromResult(checkpoints.Last),
            l => l.CopiedPages >= SqliteCheckpoints.ThresholdPages && l.CopiedPages == l.LogPages, seconds: 30);
        Assert.Equal(last.LogPages, last.CopiedPages);
    }

    private SqliteCheckpoints Checkpoints()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Consentry"] = $"Data Source={DatabasePath}" })
            .Build();
        return new SqliteCheckpoints(Microsoft.Extensions.Options.Options.Create(new ConsentryOptions()), configuration, NullLogger<SqliteCheckpoints>.Instance);
    }

    private static async Task WriteAsync(ConsentryDbContext db, int commits)
    {
        var payload = new string('x', 100_000);
        for (var i = 0; i < commits; i++)
        {
            await db.Database.ExecuteSqlAsync($"INSERT INTO probe (payload) VALUES ({payload + i});");
        }
    }

    private static async Task<long> ScalarAsync(ConsentryDbContext db, string sql)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
