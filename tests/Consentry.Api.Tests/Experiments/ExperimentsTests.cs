using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Consentry.Core.Link;
using Consentry.Core.Tenancy;
using Consentry.Features.Monitoring.Experiments;
using Consentry.Features.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Experiments;

/// <summary>Experiments over real HTTP and the real rollups: sticky assignment, funnels per variant, stop and promote.</summary>
public abstract class ExperimentsTests(LinkApp app)
{
    [Fact]
    public async Task Assignment_IsStickyAcrossViews_AndTheVariantsTextsAreShown()
    {
        var api = app.Beta();
        await EndRunningAsync(api);
        var experiment = await api.PostJsonAsync("/experiments", new
        {
            name = "Landing copy",
            variants = new object[]
            {
                new { key = "control" },
                new { key = "faster", texts = new Dictionary<string, string> { ["landingTitle"] = "Get your decision in minutes" } },
            },
        }).ExpectAsync(HttpStatusCode.Created);
        var experimentId = experiment["id"]!.GetValue<string>();

        var seen = new Dictionary<string, string>();
        for (var i = 0; i < 6; i++)
        {
            var companyId = await api.CreateCompanyAsync($"Sticky {i}");
            using var browser = app.Browser();
            var views = new List<bool>();
            for (var view = 0; view < 3; view++)
            {
                await browser.GoAsync($"/link/company/{companyId}");
                views.Add(browser.Html.Contains("Get your decision in minutes", StringComparison.Ordinal));
            }

            Assert.Single(views.Distinct());
            var variantId = await app.WithDbAsync(db => db.ExperimentAssignments.IgnoreQueryFilters()
                .Where(a => a.CompanyId == Guid.Parse(companyId)).Select(a => a.VariantId).SingleAsync());
            var events = await app.WithDbAsync(db => db.JourneyEvents.IgnoreQueryFilters()
                .Where(e => e.CompanyId == Guid.Parse(companyId)).Select(e => e.VariantId).ToListAsync());
            Assert.Equal(3, events.Count);
            Assert.All(events, e => Assert.Equal(variantId, e));
            seen[companyId] = views[0] ? "faster" : "control";
        }

        var detail = await api.GetAsync($"/experiments/{experimentId}").ExpectAsync(HttpStatusCode.OK);
        var assigned = detail["variants"]!.AsArray().ToDictionary(v => v!["key"]!.GetValue<string>(), v => v!["assigned"]!.GetValue<long>());
        Assert.Equal(seen.Count(s => s.Value == "control"), assigned["control"]);
        Assert.Equal(seen.Count(s => s.Value == "faster"), assigned["faster"]);
        await api.PostJsonAsync($"/experiments/{experimentId}/stop", new { }).ExpectAsync(HttpStatusCode.OK);
    }

    /// <summary>
    /// Control: C1 completes (accounting and banking authorized), C2 opens only, C3 reads the consent, C4 fails at the
    /// platform: 4 started, 1 completed (25 %). Variant: B1 and B2 complete, B3 opens: 3 started, 2 completed (66.7 %).
    /// Difference 41.7 points, 95 % CI -26.5 to 109.8 (see VariantAssignerTests for the arithmetic), not significant.
    /// </summary>
    [Fact]
    public async Task FunnelPerVariant_EqualsTheHandCount_InTheExperimentAndInAuthFlowGroupedByVariant()
    {
        var api = app.Alpha();
        await EndRunningAsync(api);
        var experiment = await api.PostJsonAsync("/experiments", new
        {
            name = "Hand count", variants = new object[] { new { key = "control" }, new { key = "b", texts = new Dictionary<string, string> { ["landingSubtitle"] = "B" } } },
        }).ExpectAsync(HttpStatusCode.Created);
        var experimentId = Guid.Parse(experiment["id"]!.GetValue<string>());
        var variants = await app.WithDbAsync(db => db.Experiments.IgnoreQueryFilters().Where(x => x.Id == experimentId).Select(x => x.Variants).SingleAsync());
        var control = Companies(experimentId, variants, "control", 4);
        var b = Companies(experimentId, variants, "b", 3);

        await RecordAsync(control[0], Complete);
        await RecordAsync(control[1], [(JourneyStep.Opened, null, null, null)]);
        await RecordAsync(control[2], [(JourneyStep.Opened, null, null, null), (JourneyStep.ConsentViewed, null, null, null)]);
        await RecordAsync(control[3], [(JourneyStep.Opened, null, null, null), (JourneyStep.ConsentViewed, null, null, null),
            (JourneyStep.IntegrationSelected, SourceType.Accounting, "sbac", null), (JourneyStep.OAuthStarted, SourceType.Accounting, "sbac", null),
            (JourneyStep.Failed, SourceType.Accounting, "sbac", "token_exchange_failed")]);
        await RecordAsync(b[0], Complete);
        await RecordAsync(b[1], Complete);
        await RecordAsync(b[2], [(JourneyStep.Opened, null, null, null)]);

        var detail = await api.GetAsync($"/experiments/{experimentId}").ExpectAsync(HttpStatusCode.OK);
        AssertHandCount(detail["results"]!.AsArray());

        var today = DateOnly.FromDateTime(app.Time.GetUtcNow().UtcDateTime);
        var range = $"from={today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&to={today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        var grouped = await api.GetAsync($"/monitoring/authFlow?{range}&groupBy=variant").ExpectAsync(HttpStatusCode.OK);
        AssertHandCount(new JsonArray([.. grouped["variants"]!.AsArray().Where(v => v!["experimentId"]!.GetValue<string>() == experimentId.ToString())
            .Select(v => v!.DeepClone())]));
        var plain = await api.GetAsync($"/monitoring/authFlow?{range}").ExpectAsync(HttpStatusCode.OK);
        Assert.Null(plain["variants"]);
        await api.GetAsync("/monitoring/authFlow?groupBy=platform").ExpectErrorAsync(HttpStatusCode.BadRequest, "groupBy");
        await api.PostJsonAsync($"/experiments/{experimentId}/stop", new { }).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Promotion_AppliesTheVariantToEveryone_AndEndsTheExperiment()
    {
        var api = app.Alpha();
        await EndRunningAsync(api);
        var experiment = await api.PostJsonAsync("/experiments", new
        {
            name = "Banking first",
            variants = new object[]
            {
                new { key = "control" },
                new { key = "banking-first", texts = new Dictionary<string, string> { ["landingTitle"] = "Banking first, then books" },
                    categoryOrder = new[] { "banking", "accounting" }, optionalCategories = new[] { "commerce", "accounting" } },
            },
        }).ExpectAsync(HttpStatusCode.Created);
        var experimentId = experiment["id"]!.GetValue<string>();
        var before = await api.CreateCompanyAsync("Seen before the promotion");
        using (var browser = app.Browser())
        {
            await browser.GoAsync($"/link/company/{before}");
        }

        var promoted = await api.PostJsonAsync($"/experiments/{experimentId}/variants/banking-first/promote", new { }).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(("Promoted", "banking-first"), (promoted["status"]!.GetValue<string>(), promoted["promotedVariant"]!.GetValue<string>()));
        var settings = await api.GetAsync("/settings/link").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Banking first, then books", settings["texts"]!["landingTitle"]!.GetValue<string>());
        Assert.Equal(["banking", "accounting"], settings["categoryOrder"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.True(settings["categories"]!["accounting"]!["optional"]!.GetValue<bool>());
        foreach (var companyId in new[] { before, await api.CreateCompanyAsync("After the promotion") })
        {
            using var browser = app.Browser();
            await browser.GoAsync($"/link/company/{companyId}");
            Assert.Contains("Banking first, then books", browser.Html, StringComparison.Ordinal);
            await browser.GoAsync($"/link/company/{companyId}?step=connect");
            Assert.True(browser.Html.IndexOf("id=\"cat-banking\"", StringComparison.Ordinal) < browser.Html.IndexOf("id=\"cat-accounting\"", StringComparison.Ordinal));
        }

        await api.PostJsonAsync($"/experiments/{experimentId}/variants/control/promote", new { }).ExpectErrorAsync(HttpStatusCode.Conflict, "promoted");
        await api.PutJsonAsync("/settings/link", new LinkSettings()).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task BadInput_AnotherClientsExperiment_AndASecondRunningOne_AnswerCodatErrors()
    {
        var api = app.Alpha();
        await EndRunningAsync(api);
        await api.PostJsonAsync("/experiments", new { name = "", variants = new[] { new { key = "Only One" } } }).ExpectErrorAsync(HttpStatusCode.BadRequest, "variants");
        await api.PostJsonAsync("/experiments", new { name = "x", variants = new object[] { new { key = "a" }, new { key = "a" } } }).ExpectErrorAsync(HttpStatusCode.BadRequest, "own key");
        await api.PostJsonAsync("/experiments", new
        {
            name = "x", variants = new object[] { new { key = "a" }, new { key = "b", texts = new Dictionary<string, string> { ["secret"] = "y" }, categoryOrder = new[] { "payroll" } } },
        }).ExpectErrorAsync(HttpStatusCode.BadRequest, "texts.secret");
        await api.PutJsonAsync("/settings/link", new LinkSettings { CategoryOrder = ["banking", "payroll"] }).ExpectErrorAsync(HttpStatusCode.BadRequest, "categoryOrder");
        var created = await api.PostJsonAsync("/experiments", new { name = "Mine", variants = new object[] { new { key = "a" }, new { key = "b", weight = 3 } } })
            .ExpectAsync(HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();

        await api.PostJsonAsync("/experiments", new { name = "Second", variants = new object[] { new { key = "a" }, new { key = "b" } } }).ExpectErrorAsync(HttpStatusCode.Conflict);
        await app.Beta().GetAsync($"/experiments/{id}").ExpectErrorAsync(HttpStatusCode.NotFound);
        await app.Beta().PostJsonAsync($"/experiments/{id}/stop", new { }).ExpectErrorAsync(HttpStatusCode.NotFound);
        await api.PostJsonAsync($"/experiments/{id}/variants/zzz/stop", new { }).ExpectErrorAsync(HttpStatusCode.NotFound);
        var stopped = await api.PostJsonAsync($"/experiments/{id}/variants/b/stop", new { }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Running", stopped["status"]!.GetValue<string>());
        var ended = await api.PostJsonAsync($"/experiments/{id}/variants/a/stop", new { }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Stopped", ended["status"]!.GetValue<string>());
    }

    private static readonly (JourneyStep, SourceType?, string?, string?)[] Complete =
    [
        (JourneyStep.Opened, null, null, null), (JourneyStep.ConsentViewed, null, null, null),
        (JourneyStep.IntegrationSelected, SourceType.Accounting, "sbac", null), (JourneyStep.OAuthStarted, SourceType.Accounting, "sbac", null),
        (JourneyStep.Authorized, SourceType.Accounting, "sbac", null), (JourneyStep.IntegrationSelected, SourceType.Banking, "sbbk", null),
        (JourneyStep.OAuthStarted, SourceType.Banking, "sbbk", null), (JourneyStep.Authorized, SourceType.Banking, "sbbk", null),
        (JourneyStep.Completed, null, null, null),
    ];

    private static void AssertHandCount(JsonArray results)
    {
        var control = results.Single(r => r!["variant"]!.GetValue<string>() == "control")!;
        var b = results.Single(r => r!["variant"]!.GetValue<string>() == "b")!;
        Assert.Equal((4L, 1L, 25.0), (Long(control["funnel"]!, "started"), Long(control["funnel"]!, "completed"), control["completionRate"]!.GetValue<double>()));
        Assert.Equal((3L, 2L, 66.7), (Long(b["funnel"]!, "started"), Long(b["funnel"]!, "completed"), b["completionRate"]!.GetValue<double>()));
        Assert.Equal(["4 3 2 2 1"], [string.Join(' ', control["funnel"]!["steps"]!.AsArray().Select(s => s!["companies"]!.GetValue<long>()))]);
        Assert.Equal(["3 2 2 2 2"], [string.Join(' ', b["funnel"]!["steps"]!.AsArray().Select(s => s!["companies"]!.GetValue<long>()))]);
        Assert.Equal((4L, 1L), (control["weekly"]!.AsArray().Sum(w => Long(w!, "started")), control["weekly"]!.AsArray().Sum(w => Long(w!, "completed"))));
        Assert.Null(control["versusControl"]);
        var d = b["versusControl"]!;
        Assert.Equal(("control", 41.7, -26.5, 109.8, false),
            (d["control"]!.GetValue<string>(), d["difference"]!.GetValue<double>(), d["low"]!.GetValue<double>(), d["high"]!.GetValue<double>(), d["significant"]!.GetValue<bool>()));
    }

    private static long Long(JsonNode node, string name) => node[name]!.GetValue<long>();

    /// <summary>Company ids the hash puts in the variant (so the hand count knows each company's side in advance).</summary>
    private static List<Guid> Companies(Guid experimentId, List<ExperimentVariant> variants, string key, int count) =>
        [.. Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid()).Where(c => VariantAssigner.Choose(experimentId, variants, c)!.Key == key).Take(count)];

    /// <summary>Assigns the company as its first Link view does, then records each step through the rollups, as the pages do.</summary>
    private async Task RecordAsync(Guid companyId, (JourneyStep Step, SourceType? Type, string? Platform, string? Detail)[] steps)
    {
        var clientId = await app.WithDbAsync(db => db.Clients.Where(x => x.Name == "Alpha").Select(x => x.Id).SingleAsync());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ClientContext>().Set(clientId);
            await scope.ServiceProvider.GetRequiredService<LinkVariants>().ForCompanyAsync(companyId, new LinkSettings(), CancellationToken.None);
        }

        foreach (var (step, type, platform, detail) in steps)
        {
            await using var scope = app.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ClientContext>().Set(clientId);
            var db = scope.ServiceProvider.GetRequiredService<Consentry.Core.Persistence.ConsentryDbContext>();
            db.JourneyEvents.Add(new JourneyEvent
            {
                Id = Guid.CreateVersion7(), CompanyId = companyId, Step = step, SourceType = type, PlatformKey = platform, Detail = detail,
                At = app.Time.GetUtcNow().UtcDateTime, ConnectionId = platform is null ? null : Guid.NewGuid(),
            });
            await scope.ServiceProvider.GetRequiredService<Consentry.Core.Persistence.ConsentryDbContext>().SaveChangesAsync(CancellationToken.None); // the rollups follow the save
        }
    }

    private static async Task EndRunningAsync(HttpClient api)
    {
        var list = await api.GetAsync("/experiments").ExpectAsync(HttpStatusCode.OK);
        foreach (var running in list["results"]!.AsArray().Where(x => x!["status"]!.GetValue<string>() == "Running"))
        {
            await api.PostJsonAsync($"/experiments/{running!["id"]!.GetValue<string>()}/stop", new { }).ExpectAsync(HttpStatusCode.OK);
        }
    }
}

public sealed class ExperimentsTests_Sqlite(SqliteLinkApp app) : ExperimentsTests(app), IClassFixture<SqliteLinkApp>;

public sealed class ExperimentsTests_Postgres(PostgresLinkApp app) : ExperimentsTests(app), IClassFixture<PostgresLinkApp>;
