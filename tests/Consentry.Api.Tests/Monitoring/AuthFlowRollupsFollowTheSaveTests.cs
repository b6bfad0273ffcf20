using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Core.Tenancy;
using Consentry.Features.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Monitoring;

/// <summary>
/// The auth-flow counters follow the save (<see cref="AuthFlowRollupsInterceptor"/>): any <c>SaveChangesAsync</c> that
/// adds journey events writes their marks and counters in the same transaction; the caller's own transaction decides
/// the commit; a failed save leaves neither the events nor their counters.
/// </summary>
public abstract class AuthFlowRollupsFollowTheSaveTests(ConsentryApp app)
{
    [Fact]
    public async Task APlainSave_OfAJourneyEvent_WritesItsMarksAndCounters()
    {
        var companyId = Guid.NewGuid();
        await SaveAsync(async db =>
        {
            db.JourneyEvents.Add(Event(companyId, JourneyStep.Opened));
            await db.SaveChangesAsync();
        });

        var marks = await app.WithDbAsync(db => db.JourneyMarks.IgnoreQueryFilters().Where(m => m.CompanyId == companyId).Select(m => m.Mark).ToListAsync());
        Assert.Contains(AuthFlowMarks.Started, marks);
        Assert.Contains(AuthFlowMarks.Reached(JourneyStep.Opened), marks);
    }

    [Fact]
    public async Task InsideTheCallersTransaction_TheCallerDecides_RolledBackLeavesNothing_CommittedKeepsBoth()
    {
        var rolledBack = Guid.NewGuid();
        var committed = Guid.NewGuid();
        await SaveAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.JourneyEvents.Add(Event(rolledBack, JourneyStep.Opened));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        });
        await SaveAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.JourneyEvents.Add(Event(committed, JourneyStep.Opened));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        });

        Assert.Equal((0, 0), await CountsAsync(rolledBack));
        var (events, marks) = await CountsAsync(committed);
        Assert.Equal(1, events);
        Assert.True(marks > 0, "the committed event's marks are there");
    }

    [Fact]
    public async Task ASaveThatFails_LeavesNeitherTheEventsNorTheirCounters()
    {
        var first = Event(Guid.NewGuid(), JourneyStep.Opened);
        await SaveAsync(async db =>
        {
            db.JourneyEvents.Add(first);
            await db.SaveChangesAsync();
        });

        var later = Guid.NewGuid();
        await SaveAsync(async db =>
        {
            db.JourneyEvents.Add(Event(later, JourneyStep.Opened));
            // The same id again: the insert fails, and with it the whole save.
            var duplicate = Event(Guid.NewGuid(), JourneyStep.Opened);
            duplicate.Id = first.Id;
            db.JourneyEvents.Add(duplicate);
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });

        Assert.Equal((0, 0), await CountsAsync(later));
    }

    private async Task SaveAsync(Func<ConsentryDbContext, Task> save)
    {
        var clientId = await app.WithDbAsync(db => db.Clients.Where(x => x.Name == "Alpha").Select(x => x.Id).SingleAsync());
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ClientContext>().Set(clientId);
        await save(scope.ServiceProvider.GetRequiredService<ConsentryDbContext>());
    }

    private Task<(int Events, int Marks)> CountsAsync(Guid companyId) => app.WithDbAsync(async db =>
        (await db.JourneyEvents.IgnoreQueryFilters().CountAsync(e => e.CompanyId == companyId),
            await db.JourneyMarks.IgnoreQueryFilters().CountAsync(m => m.CompanyId == companyId)));

    private JourneyEvent Event(Guid companyId, JourneyStep step) => new()
    {
        Id = Guid.CreateVersion7(), CompanyId = companyId, Step = step, SourceType = SourceType.Accounting, PlatformKey = "sbac",
        At = app.Time.GetUtcNow().UtcDateTime,
    };
}

public sealed class AuthFlowRollupsFollowTheSaveTests_Sqlite(SqliteApp app) : AuthFlowRollupsFollowTheSaveTests(app), IClassFixture<SqliteApp>;

public sealed class AuthFlowRollupsFollowTheSaveTests_Postgres(PostgresApp app) : AuthFlowRollupsFollowTheSaveTests(app), IClassFixture<PostgresApp>;
