using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Consentry.Core.Link;
using Consentry.Core.Tenancy;
using Consentry.Features.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Monitoring;

/// <summary>
/// The drop-off funnel over generated mixes of journeys (company Link with or without its landing page, build-your-own
/// linkUrls, uploads, skips, cancellations, abandoned at any point): it never goes up, and each step holds exactly the
/// companies whose furthest funnel step is that one or a later one, counted here from the generated events themselves.
/// Each mix is a fixed seed in a year of its own, so the mixes do not see each other.
/// </summary>
public abstract class AuthFlowFunnelPropertyTests(ConsentryApp app)
{
    private static readonly (SourceType Type, string Platform)[] Platforms =
        [(SourceType.Accounting, "sbac"), (SourceType.Banking, "sbbk"), (SourceType.Commerce, "sbcm")];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Funnel_OverAMixOfJourneys_OnlyGoesDown_AndCountsCompaniesAtThatStepOrLater(int seed)
    {
        var random = new Random(seed);
        var year = 2030 + seed;
        var journeys = Enumerable.Range(0, 14).Select(_ => Journey(random)).ToList();
        for (var i = 0; i < journeys.Count; i++)
        {
            await RecordAsync(Guid.NewGuid(), new DateTime(year, 1, 1 + i, 9, 0, 0, DateTimeKind.Utc), journeys[i]);
        }

        var body = await app.Alpha().GetAsync($"/monitoring/authFlow?from={year}-01-01&to={year}-03-31").ExpectAsync(HttpStatusCode.OK);

        var furthest = journeys.Select(j => j.Max(e => Array.IndexOf(AuthFlowMarks.FunnelSteps, e.Step))).ToList();
        var expected = AuthFlowMarks.FunnelSteps.Select((_, k) => (long)furthest.Count(f => f >= k)).ToList();
        var funnel = body["funnel"]!;
        var steps = funnel["steps"]!.AsArray();
        Assert.Equal(expected, steps.Select(s => s!["companies"]!.GetValue<long>()));
        AssertGoesDown(funnel);
        foreach (var scoped in body["categories"]!.AsArray().Concat(body["integrations"]!.AsArray()))
        {
            AssertGoesDown(scoped!["figures"]!);
        }
    }

    private static void AssertGoesDown(JsonNode figures)
    {
        var previous = figures["started"]!.GetValue<long>();
        foreach (var step in figures["steps"]!.AsArray())
        {
            var companies = step!["companies"]!.GetValue<long>();
            Assert.True(companies <= previous, $"The funnel goes up at {step["step"]}: {figures.ToJsonString()}");
            Assert.Equal(previous - companies, step["dropOff"]!.GetValue<long>());
            previous = companies;
        }
    }

    /// <summary>One company's events in order: a company Link journey or one or two linkUrl journeys, cut off anywhere.</summary>
    private static List<(JourneyStep Step, SourceType? Type, string? Platform, string? Detail)> Journey(Random random)
    {
        var events = new List<(JourneyStep, SourceType?, string?, string?)>();
        if (random.Next(2) == 0)
        {
            if (random.Next(3) > 0)
            {
                events.Add((JourneyStep.Opened, null, null, null)); // the landing page can be turned off
            }

            events.Add((JourneyStep.ConsentViewed, null, null, null));
            foreach (var (type, platform) in Platforms.Where(_ => random.Next(2) == 0))
            {
                events.AddRange(random.Next(4) switch
                {
                    0 => [(JourneyStep.FileUploaded, type, null, type.ToString())],
                    1 => [(JourneyStep.CategorySkipped, type, null, type.ToString())],
                    _ => Authorization(random, type, platform, selected: true),
                });
            }

            events.Add((JourneyStep.Completed, null, null, null));
        }
        else
        {
            foreach (var (type, platform) in Platforms.Where(_ => random.Next(2) == 0).DefaultIfEmpty(Platforms[0]))
            {
                events.Add((JourneyStep.Opened, type, platform, null));
                events.AddRange(random.Next(5) == 0
                    ? [(JourneyStep.Failed, type, platform, "cancelled")] // denied on the Link's own consent page
                    : [(JourneyStep.ConsentViewed, type, platform, null), .. Authorization(random, type, platform, selected: false)]);
            }
        }

        return events.Take(random.Next(1, events.Count + 1)).ToList();
    }

    private static List<(JourneyStep, SourceType?, string?, string?)> Authorization(Random random, SourceType type, string platform, bool selected)
    {
        var steps = new List<(JourneyStep, SourceType?, string?, string?)>();
        if (selected)
        {
            steps.Add((JourneyStep.IntegrationSelected, type, platform, null));
        }

        steps.Add((JourneyStep.OAuthStarted, type, platform, null));
        steps.Add(random.Next(3) == 0 ? (JourneyStep.Failed, type, platform, "token_exchange_failed") : (JourneyStep.Authorized, type, platform, null));
        return steps;
    }

    private async Task RecordAsync(Guid companyId, DateTime at, List<(JourneyStep Step, SourceType? Type, string? Platform, string? Detail)> steps)
    {
        var clientId = await app.WithDbAsync(db => db.Clients.Where(x => x.Name == "Alpha").Select(x => x.Id).SingleAsync());
        foreach (var (step, type, platform, detail) in steps)
        {
            await using var scope = app.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ClientContext>().Set(clientId);
            scope.ServiceProvider.GetRequiredService<Consentry.Core.Persistence.ConsentryDbContext>().JourneyEvents.Add(new JourneyEvent
            {
                Id = Guid.CreateVersion7(), CompanyId = companyId, Step = step, SourceType = type, PlatformKey = platform, Detail = detail, At = at,
                ConnectionId = platform is null ? null : Guid.NewGuid(),
            });
            await scope.ServiceProvider.GetRequiredService<Consentry.Core.Persistence.ConsentryDbContext>().SaveChangesAsync(CancellationToken.None); // the rollups follow the save
            at = at.AddMinutes(1);
        }
    }
}

public sealed class AuthFlowFunnelPropertyTests_Sqlite(SqliteApp app) : AuthFlowFunnelPropertyTests(app), IClassFixture<SqliteApp>;

public sealed class AuthFlowFunnelPropertyTests_Postgres(PostgresApp app) : AuthFlowFunnelPropertyTests(app), IClassFixture<PostgresApp>;
