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
/// The auth-flow figures against a scenario worked out by hand (default Link settings: accounting and banking required,
/// commerce optional). Range 2026-01-05 (Mon) to 2026-02-01 (Sun): four weeks.
/// <code>
/// A  Jan 5   company Link: opened, consent, selected sbac, OAuth, failed "cancelled"                 not completed
/// B  Jan 13  company Link: sbac authorized, sbbk authorized, commerce skipped, Completed            completed
/// C  Jan 14  company Link: sbac failed "token_exchange_failed", then uploads accounting + banking    completed
/// D  Jan 15  build-your-own (the app created sbac and sbbk connections): sbac opened, consent, OAuth,
///            authorized (sbbk still pending: not yet); Jan 20 sbbk too                               completed (cohort W2)
/// E  Jan 21  build-your-own (sbbk created): sbbk opened, consent, OAuth, failed "token_exchange_failed"  not completed
/// J  Jan 22  build-your-own (the README's: one sbac connection): opened, consent, OAuth, authorized  completed
/// F  Jan 27  company Link: opened only                                                              -
/// G  Jan 28  company Link: opened, consent                                                          -
/// I  Jan 16  company Link: opened, consent, selected sbbk, OAuth (abandoned at the platform)        -
/// H  Dec 30  (before the range) completes on Jan 6: counted in its own cohort, never in the range
/// </code>
/// Started 9; began flow 7 (A B C I seen, D E J estimated); completed 4 (B C D J); authorized 3/9 = 33.3 %;
/// uploaded 1/9 = 11.1 %. Steps (reached that step or a later one): opened 9, read the consent 8 (all but F), chose a
/// platform 7 (A B C I chose; D E J went on to the platform, so they passed it), went to the platform 7, authorized 3.
/// Weekly, from the first week with a completion (W2): W2 4 started / 3 completed = 75 %, W3 2/1 = 50 %, W4 2/0 = 0 %.
/// </summary>
public abstract class AuthFlowMonitoringTests(ConsentryApp app)
{
    private const string Range = "from=2026-01-05&to=2026-02-01";

    [Fact]
    public async Task Overview_OfTheHandWorkedScenario_MatchesTheHandCount()
    {
        await SeedScenarioAsync();

        var body = await app.Alpha().GetAsync($"/monitoring/authFlow?{Range}").ExpectAsync(HttpStatusCode.OK);

        var funnel = body["funnel"]!;
        Assert.Equal(9, Long(funnel, "started"));
        Assert.Equal(7, Long(funnel, "beganFlow"));
        Assert.Equal(3, Long(funnel, "beganFlowEstimated"));
        Assert.Equal(4, Long(funnel, "completed"));
        Assert.Equal(3, Long(funnel, "authorized"));
        Assert.Equal(1, Long(funnel, "uploaded"));
        Assert.Equal(1, Long(funnel, "skipped"));
        Assert.Equal(44.4, body["completionRate"]!.GetValue<double>());
        Assert.Equal(33.3, body["authorizedShare"]!.GetValue<double>());
        Assert.Equal(11.1, body["uploadedShare"]!.GetValue<double>());

        Assert.Equal(
            [
                "opened Opened Link 9 100 -0", "consentViewed Read the consent 8 88.9 -1", "integrationSelected Chose a platform 7 77.8 -1",
                "oAuthStarted Went to sign in at the platform 7 77.8 -0", "authorized Authorized access 3 33.3 -4",
            ],
            funnel["steps"]!.AsArray().Select(s => $"{s!["step"]} {s["name"]} {s["companies"]} {s["share"]} -{s["dropOff"]}"));
        Assert.Equal(["token_exchange_failed 2", "cancelled 1"],
            funnel["failedByReason"]!.AsArray().Select(r => $"{r!["reason"]} {r["companies"]}"));

        Assert.Equal(["2026-01-12 4/3 75", "2026-01-19 2/1 50", "2026-01-26 2/0 0"],
            body["weekly"]!.AsArray().Select(w => $"{w!["weekStart"]} {w["started"]}/{w["completed"]} {w["completionRate"]}"));

        var accounting = Category(body, "Accounting");
        Assert.Equal((8, 5, 2, 4), (Long(accounting, "started"), Long(accounting, "beganFlow"), Long(accounting, "beganFlowEstimated"), Long(accounting, "completed")));
        var banking = Category(body, "Banking");
        Assert.Equal((8, 5, 3, 3), (Long(banking, "started"), Long(banking, "beganFlow"), Long(banking, "beganFlowEstimated"), Long(banking, "completed")));
        var commerce = Category(body, "Commerce");
        Assert.Equal((6, 1, 1), (Long(commerce, "started"), Long(commerce, "completed"), Long(commerce, "skipped")));

        var sbac = Integration(body, "sbac");
        Assert.Equal((5, 3, 3), (Long(sbac, "started"), Long(sbac, "authorized"), Long(sbac, "completed")));
        Assert.Equal(["cancelled 1", "token_exchange_failed 1"], sbac["failedByReason"]!.AsArray().Select(r => $"{r!["reason"]} {r["companies"]}"));
        var sbbk = Integration(body, "sbbk");
        Assert.Equal((4, 2, 2), (Long(sbbk, "started"), Long(sbbk, "authorized"), Long(sbbk, "beganFlowEstimated")));
    }

    [Fact]
    public async Task Overview_ACompanyCountsInTheWeekItStarted_NotTheWeekItCompleted()
    {
        await SeedScenarioAsync();

        var december = await app.Alpha().GetAsync("/monitoring/authFlow?from=2025-12-29&to=2026-01-04").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((1, 1), (Long(december["funnel"]!, "started"), Long(december["funnel"]!, "completed")));
        Assert.Equal(["2025-12-29 1/1 100"], december["weekly"]!.AsArray().Select(w => $"{w!["weekStart"]} {w["started"]}/{w["completed"]} {w["completionRate"]}"));

        var firstWeek = await app.Alpha().GetAsync("/monitoring/authFlow?from=2026-01-05&to=2026-01-11").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((1, 0), (Long(firstWeek["funnel"]!, "started"), Long(firstWeek["funnel"]!, "completed")));
        Assert.Empty(firstWeek["weekly"]!.AsArray()); // no completed journey yet, so no completion-rate line
    }

    [Fact]
    public async Task Overview_FilteredByCategory_ShowsThatCategoryAndItsIntegrationsOnly()
    {
        await SeedScenarioAsync();

        var body = await app.Alpha().GetAsync($"/monitoring/authFlow?{Range}&sourceType=banking").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Banking", body["sourceType"]!.GetValue<string>());
        Assert.Equal((8, 3), (Long(body["funnel"]!, "started"), Long(body["funnel"]!, "completed")));
        Assert.Equal(["Banking"], body["categories"]!.AsArray().Select(c => c!["sourceType"]!.GetValue<string>()));
        Assert.Equal(["sbbk"], body["integrations"]!.AsArray().Select(i => i!["platformKey"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Overview_OfAnotherClient_ShowsNoneOfThisClientsJourneys()
    {
        await SeedScenarioAsync();

        var body = await app.Beta().GetAsync($"/monitoring/authFlow?{Range}").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(0, Long(body["funnel"]!, "started"));
        Assert.Empty(body["integrations"]!.AsArray());
    }

    [Theory]
    [InlineData("from=2026-13-01&to=2026-12-31", "YYYY-MM-DD")]
    [InlineData("from=yesterday", "YYYY-MM-DD")]
    [InlineData("from=2026-02-01&to=2026-01-01", "after")]
    [InlineData("from=2020-01-01&to=2026-01-01", "at most")]
    [InlineData("sourceType=Payroll", "sourceType")]
    [InlineData("sourceType=1", "sourceType")]
    public async Task Overview_WithBadInput_AnswersCodatsErrorBody(string query, string fragment)
    {
        await app.Alpha().GetAsync($"/monitoring/authFlow?{query}").ExpectErrorAsync(HttpStatusCode.BadRequest, fragment);
    }

    [Fact]
    public async Task Overview_WithoutAnApiKey_IsUnauthorized()
    {
        using var response = await app.Anonymous().GetAsync($"/monitoring/authFlow?{Range}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static long Long(JsonNode node, string name) => node[name]!.GetValue<long>();

    private static JsonNode Category(JsonNode body, string type) =>
        body["categories"]!.AsArray().Single(c => c!["sourceType"]!.GetValue<string>() == type)!["figures"]!;

    private static JsonNode Integration(JsonNode body, string key) =>
        body["integrations"]!.AsArray().Single(c => c!["platformKey"]!.GetValue<string>() == key)!["figures"]!;

    /// <summary>Records the scenario's events through the same rollup path the Link pages use (once per app).</summary>
    private async Task SeedScenarioAsync()
    {
        if (await app.WithDbAsync(db => db.JourneyEvents.IgnoreQueryFilters().AnyAsync()))
        {
            return; // another test of this class seeded the shared app already
        }

        const JourneyStep Opened = JourneyStep.Opened, Consent = JourneyStep.ConsentViewed, Selected = JourneyStep.IntegrationSelected,
            OAuth = JourneyStep.OAuthStarted, Authorized = JourneyStep.Authorized, Failed = JourneyStep.Failed, Uploaded = JourneyStep.FileUploaded,
            Skipped = JourneyStep.CategorySkipped, Completed = JourneyStep.Completed;
        var (acc, bank, com) = (SourceType.Accounting, SourceType.Banking, SourceType.Commerce);

        var a = Guid.NewGuid();
        await RecordAsync(a, "2026-01-05T09:00", (Opened, null, null, null), (Consent, null, null, null), (Selected, acc, "sbac", null), (OAuth, acc, "sbac", null), (Failed, acc, "sbac", "cancelled"));
        var b = Guid.NewGuid();
        await RecordAsync(b, "2026-01-13T09:00", (Opened, null, null, null), (Consent, null, null, null), (Selected, acc, "sbac", null), (OAuth, acc, "sbac", null), (Authorized, acc, "sbac", null),
            (Selected, bank, "sbbk", null), (OAuth, bank, "sbbk", null), (Authorized, bank, "sbbk", null), (Skipped, com, null, "commerce"), (Completed, null, null, null));
        var c = Guid.NewGuid();
        await RecordAsync(c, "2026-01-14T23:50", (Opened, null, null, null), (Consent, null, null, null), (Selected, acc, "sbac", null), (OAuth, acc, "sbac", null), (Failed, acc, "sbac", "token_exchange_failed"),
            (Uploaded, acc, null, "accounting"), (Uploaded, bank, null, "banking"));
        // The build-your-own companies are real, with the connections the app created for them (their status is what
        // decides completion), linked as the callback links them.
        var (d, dConnections) = await BuildYourOwnAsync("sbac", "sbbk");
        await RecordAsync(d, dConnections, "2026-01-15T09:00", (Opened, acc, "sbac", null), (Consent, acc, "sbac", null), (OAuth, acc, "sbac", null), (Authorized, acc, "sbac", null));
        await RecordAsync(d, dConnections, "2026-01-20T09:00", (Opened, bank, "sbbk", null), (Consent, bank, "sbbk", null), (OAuth, bank, "sbbk", null), (Authorized, bank, "sbbk", null));
        var (j, jConnections) = await BuildYourOwnAsync("sbac");
        await RecordAsync(j, jConnections, "2026-01-22T09:00", (Opened, acc, "sbac", null), (Consent, acc, "sbac", null), (OAuth, acc, "sbac", null), (Authorized, acc, "sbac", null));
        var i = Guid.NewGuid();
        await RecordAsync(i, "2026-01-16T09:00", (Opened, null, null, null), (Consent, null, null, null), (Selected, bank, "sbbk", null), (OAuth, bank, "sbbk", null));
        var (e, eConnections) = await BuildYourOwnAsync("sbbk");
        await RecordAsync(e, eConnections, "2026-01-21T09:00", (Opened, bank, "sbbk", null), (Consent, bank, "sbbk", null), (OAuth, bank, "sbbk", null), (Failed, bank, "sbbk", "token_exchange_failed"));
        await RecordAsync(Guid.NewGuid(), "2026-01-27T09:00", (Opened, null, null, null));
        await RecordAsync(Guid.NewGuid(), "2026-01-28T09:00", (Opened, null, null, null), (Consent, null, null, null));
        var h = Guid.NewGuid();
        await RecordAsync(h, "2025-12-30T09:00", (Opened, null, null, null), (Consent, null, null, null), (Selected, acc, "sbac", null), (OAuth, acc, "sbac", null), (Authorized, acc, "sbac", null));
        await RecordAsync(h, "2026-01-06T09:00", (Selected, bank, "sbbk", null), (OAuth, bank, "sbbk", null), (Authorized, bank, "sbbk", null));
    }

    private async Task<(Guid Company, Dictionary<string, Guid> Connections)> BuildYourOwnAsync(params string[] platformKeys)
    {
        var api = app.Alpha();
        var companyId = await api.CreateCompanyAsync("Build Your Own Ltd");
        var connections = new Dictionary<string, Guid>();
        foreach (var key in platformKeys)
        {
            var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = key }).ExpectAsync(HttpStatusCode.OK);
            connections[key] = Guid.Parse(connection["id"]!.GetValue<string>());
        }

        return (Guid.Parse(companyId), connections);
    }

    private Task RecordAsync(Guid companyId, string start, params (JourneyStep Step, SourceType? Type, string? Platform, string? Detail)[] steps) =>
        RecordAsync(companyId, [], start, steps);

    /// <summary>One event per save, a minute apart, as the pages record them; an authorization links its connection first.</summary>
    private async Task RecordAsync(Guid companyId, Dictionary<string, Guid> connections, string start,
        params (JourneyStep Step, SourceType? Type, string? Platform, string? Detail)[] steps)
    {
        var clientId = await app.WithDbAsync(db => db.Clients.Where(x => x.Name == "Alpha").Select(x => x.Id).SingleAsync());
        var at = DateTime.SpecifyKind(DateTime.Parse(start, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
        foreach (var (step, type, platform, detail) in steps)
        {
            await using var scope = app.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ClientContext>().Set(clientId);
            var db = scope.ServiceProvider.GetRequiredService<Consentry.Core.Persistence.ConsentryDbContext>();
            Guid? connectionId = platform is null ? null : connections.TryGetValue(platform, out var known) ? known : Guid.NewGuid();
            if (step == JourneyStep.Authorized && connectionId is { } id && await db.Connections.FindAsync(id) is { } connection)
            {
                connection.MoveTo(ConnectionStatus.Linked);
            }

            db.JourneyEvents.Add(new JourneyEvent
            {
                Id = Guid.CreateVersion7(), CompanyId = companyId, Step = step, SourceType = type, PlatformKey = platform, Detail = detail, At = at,
                ConnectionId = connectionId,
            });
            await scope.ServiceProvider.GetRequiredService<Consentry.Core.Persistence.ConsentryDbContext>().SaveChangesAsync(CancellationToken.None); // the rollups follow the save
            at = at.AddMinutes(1);
        }
    }
}

public sealed class AuthFlowMonitoringTests_Sqlite(SqliteApp app) : AuthFlowMonitoringTests(app), IClassFixture<SqliteApp>;

public sealed class AuthFlowMonitoringTests_Postgres(PostgresApp app) : AuthFlowMonitoringTests(app), IClassFixture<PostgresApp>;
