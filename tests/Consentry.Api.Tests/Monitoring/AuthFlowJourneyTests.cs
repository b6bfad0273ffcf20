using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;

namespace Consentry.Api.Tests.Monitoring;

/// <summary>
/// Real journeys over HTTP (Link pages, the sandbox's OAuth pages, the callback) move the rollups: build-your-own
/// journeys (a connection's linkUrl) of user_good, user_deny and user_error, with Alpha's default Link settings
/// (accounting and banking required), seen through <c>GET /monitoring/authFlow</c>.
/// </summary>
public abstract class AuthFlowJourneyTests(LinkApp app)
{
    private readonly HttpClient _api = app.Alpha();

    [Fact]
    public async Task SandboxJourneys_AreCountedAsTheyHappen_WithBeganFlowEstimatedAndFailuresByReason()
    {
        var before = await OverviewAsync();

        await JourneyAsync("sbac", "user_good");   // the one connection the app created is linked: completed
        await JourneyAsync("sbbk", "user_deny");   // cancelled at the consent page
        await JourneyAsync("sbcm", "user_error");  // the token exchange fails
        var company = await _api.CreateCompanyAsync("Two Categories Ltd");
        await JourneyAsync("sbac", "user_good", company); // completed: the app had asked for this one only so far
        await JourneyAsync("sbbk", "user_good", company);

        var after = await OverviewAsync();
        long Delta(string name) => after["funnel"]![name]!.GetValue<long>() - before["funnel"]![name]!.GetValue<long>();
        Assert.Equal((4L, 4L, 4L, 2L, 2L), (Delta("started"), Delta("beganFlow"), Delta("beganFlowEstimated"), Delta("completed"), Delta("authorized")));
        var reasons = after["funnel"]!["failedByReason"]!.AsArray().ToDictionary(r => r!["reason"]!.GetValue<string>(), r => r!["companies"]!.GetValue<long>());
        Assert.True(reasons.GetValueOrDefault("cancelled") >= 1 && reasons.GetValueOrDefault("token_exchange_failed") >= 1, after.ToJsonString());
        var sbcm = after["integrations"]!.AsArray().Single(i => i!["platformKey"]!.GetValue<string>() == "sbcm")!["figures"]!;
        Assert.Equal(0, sbcm["authorized"]!.GetValue<long>());
    }

    [Fact]
    public async Task ReadmeJourney_OneAccountingConnectionWalkedWithUserGood_CountsAsCompleted()
    {
        var before = await OverviewAsync();

        // The README's tour: create a company, create an sbac connection, walk its linkUrl as user_good.
        await JourneyAsync("sbac", "user_good");

        var after = await OverviewAsync();
        Assert.Equal((1L, 1L, 1L), (Delta(before, after, "started"), Delta(before, after, "authorized"), Delta(before, after, "completed")));
        // Every step up to the authorization counts it, choosing a platform included (the app chose it for the customer).
        Assert.All(after["funnel"]!["steps"]!.AsArray().Zip(before["funnel"]!["steps"]!.AsArray()),
            s => Assert.Equal(1L, s.First!["companies"]!.GetValue<long>() - s.Second!["companies"]!.GetValue<long>()));
    }

    [Fact]
    public async Task BuildYourOwn_WithTwoConnectionsCreated_CompletesOnlyWhenBothAreLinked()
    {
        var company = await _api.CreateCompanyAsync("Two Connections Ltd");
        var before = await OverviewAsync();
        var accounting = await ConnectionAsync(company, "sbac");
        var banking = await ConnectionAsync(company, "sbbk");

        await WalkAsync(accounting, "user_good");
        var halfway = await OverviewAsync();
        await WalkAsync(banking, "user_good");
        var after = await OverviewAsync();

        Assert.Equal((1L, 0L), (Delta(before, halfway, "authorized"), Delta(before, halfway, "completed")));
        Assert.Equal(1L, Delta(before, after, "completed"));
    }

    private static long Delta(JsonNode before, JsonNode after, string name) =>
        after["funnel"]![name]!.GetValue<long>() - before["funnel"]![name]!.GetValue<long>();

    /// <summary>The overview (after pointing Alpha's redirect at the app, so every walk below ends there).</summary>
    private async Task<JsonNode> OverviewAsync()
    {
        await _api.PutJsonAsync("/profile", new { name = "Alpha", redirectUrl = "https://app.example/done?status={statusCode}", whiteListUrls = new[] { "https://app.example" } })
            .ExpectAsync(HttpStatusCode.OK);
        return await _api.GetAsync("/monitoring/authFlow").ExpectAsync(HttpStatusCode.OK);
    }

    private async Task JourneyAsync(string platformKey, string username, string? companyId = null) =>
        await WalkAsync(await ConnectionAsync(companyId ?? await _api.CreateCompanyAsync("Monitored Ltd"), platformKey), username);

    private async Task<string> ConnectionAsync(string companyId, string platformKey)
    {
        var connection = await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey }).ExpectAsync(HttpStatusCode.OK);
        return connection["linkUrl"]!.GetValue<string>();
    }

    /// <summary>The customer's side of a build-your-own journey: the connection's linkUrl, the platform's sign-in and consent.</summary>
    private async Task WalkAsync(string linkUrl, string username)
    {
        using var browser = app.Browser();
        await browser.GoAsync(new Uri(linkUrl).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = username, ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");
        Assert.Equal("app.example", browser.Location.Host);
    }
}

public sealed class AuthFlowJourneyTests_Sqlite(SqliteLinkApp app) : AuthFlowJourneyTests(app), IClassFixture<SqliteLinkApp>;

public sealed class AuthFlowJourneyTests_Postgres(PostgresLinkApp app) : AuthFlowJourneyTests(app), IClassFixture<PostgresLinkApp>;
