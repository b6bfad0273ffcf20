using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Link;

/// <summary>
/// What the Link pages no longer ask the database on every journey (bench/journeys/notes.md, issue 18 item 3), and that
/// the answers stay the same: the running experiment comes from the client cache, and one started or stopped through
/// the API is seen at once. Statements are told apart by the tables they name, so the background workers' own
/// statements do not matter.
/// </summary>
public abstract class LinkRoundTripsTests(CountingLinkApp app)
{
    private readonly HttpClient _api = app.Alpha();

    [Fact]
    public async Task LinkPages_ReadNoExperiment_WhileNoneRuns_AndAStartedOneIsSeenAtOnce()
    {
        await EndRunningAsync();
        var first = await _api.CreateCompanyAsync("No experiment Ltd");
        using (var browser = app.Browser())
        {
            await browser.GoAsync($"/link/company/{first}");
            Assert.Equal(HttpStatusCode.OK, browser.Status);
            app.Sql.Clear();
            await browser.GoAsync($"/link/company/{first}");
            Assert.Equal(HttpStatusCode.OK, browser.Status);
        }

        Assert.Contains(app.Sql, s => s.Contains("journey_events", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Sql, s => s.Contains("experiment", StringComparison.Ordinal));

        var experiment = await _api.PostJsonAsync("/experiments", new
        {
            name = "Seen at once", variants = new object[] { new { key = "control" }, new { key = "b" } },
        }).ExpectAsync(HttpStatusCode.Created);
        try
        {
            var second = await _api.CreateCompanyAsync("Experiment Ltd");
            using var browser = app.Browser();
            await browser.GoAsync($"/link/company/{second}");
            Assert.Equal(HttpStatusCode.OK, browser.Status);
            var assigned = await app.WithDbAsync(db => db.ExperimentAssignments.IgnoreQueryFilters()
                .Where(a => a.CompanyId == Guid.Parse(second)).Select(a => a.VariantId).SingleAsync());
            var stamped = await app.WithDbAsync(db => db.JourneyEvents.IgnoreQueryFilters()
                .Where(e => e.CompanyId == Guid.Parse(second)).Select(e => e.VariantId).ToListAsync());
            Assert.NotEmpty(stamped);
            Assert.All(stamped, v => Assert.Equal(assigned, v));
        }
        finally
        {
            await _api.PostJsonAsync($"/experiments/{experiment["id"]!.GetValue<string>()}/stop", new { }).ExpectAsync(HttpStatusCode.OK);
        }

        // Stopped here: the next company is in no variant.
        var third = await _api.CreateCompanyAsync("After Ltd");
        using (var browser = app.Browser())
        {
            await browser.GoAsync($"/link/company/{third}");
        }

        Assert.False(await app.WithDbAsync(db => db.ExperimentAssignments.IgnoreQueryFilters().AnyAsync(a => a.CompanyId == Guid.Parse(third))));
        Assert.All(await app.WithDbAsync(db => db.JourneyEvents.IgnoreQueryFilters().Where(e => e.CompanyId == Guid.Parse(third)).ToListAsync()),
            e => Assert.Null(e.VariantId));
    }

    private async Task EndRunningAsync()
    {
        var list = await _api.GetAsync("/experiments").ExpectAsync(HttpStatusCode.OK);
        foreach (var running in list["results"]!.AsArray().Where(x => x!["status"]!.GetValue<string>() == "Running"))
        {
            await _api.PostJsonAsync($"/experiments/{running!["id"]!.GetValue<string>()}/stop", new { }).ExpectAsync(HttpStatusCode.OK);
        }
    }
}

/// <summary>A Link app that keeps the text of every statement EF runs (its own commands and raw SQL through EF).</summary>
public abstract class CountingLinkApp(DatabaseProvider provider) : LinkApp(provider)
{
    public ConcurrentQueue<string> Sql => Recorder.Texts;

    private SqlRecorder Recorder { get; } = new();

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        base.ConfigureTestServices(services);
        services.AddSingleton<IInterceptor>(Recorder);
    }

    private sealed class SqlRecorder : DbCommandInterceptor
    {
        public ConcurrentQueue<string> Texts { get; } = new();

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Texts.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Texts.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Texts.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}

public sealed class CountingSqliteLinkApp() : CountingLinkApp(DatabaseProvider.Sqlite);

public sealed class CountingPostgresLinkApp() : CountingLinkApp(DatabaseProvider.Postgres);

public sealed class LinkRoundTripsTests_Sqlite(CountingSqliteLinkApp app) : LinkRoundTripsTests(app), IClassFixture<CountingSqliteLinkApp>;

public sealed class LinkRoundTripsTests_Postgres(CountingPostgresLinkApp app) : LinkRoundTripsTests(app), IClassFixture<CountingPostgresLinkApp>;
