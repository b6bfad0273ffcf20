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
        await _api.PutJsonAsync("/profile", new { name = "Alpha", redirectUrl = "https://app.example/done?status={statusCode}", whiteListUrls = new[] { "https://app.example" } })
            .ExpectAsync(HttpStatusCode.OK);
        var before = await OverviewAsync();

        await JourneyAsync("sbac", "user_good");   // accounting authorized (banking still missing: not completed)
        await JourneyAsync("sbbk", "user_deny");   // cancelled at the consent page
        await JourneyAsync("sbcm", "user_error");  // the token exchange fails
        var company = await _api.CreateCompanyAsync("Two Categories Ltd");
        await JourneyAsync("sbac", "user_good", company);
        await JourneyAsync("sbbk", "user_good", company); // both required categories: completed

        var after = await OverviewAsync();
        long Delta(string name) => after["funnel"]![name]!.GetValue<long>() - before["funnel"]![name]!.GetValue<long>();
        Assert.Equal((4L, 4L, 4L, 1L, 2L), (Delta("started"), Delta("beganFlow"), Delta("beganFlowEstimated"), Delta("completed"), Delta("authorized")));
        var reasons = after["funnel"]!["failedByReason"]!.AsArray().ToDictionary(r => r!["reason"]!.GetValue<string>(), r => r!["companies"]!.GetValue<long>());
        Assert.True(reasons.GetValueOrDefault("cancelled") >= 1 && reasons.GetValueOrDefault("token_exchange_failed") >= 1, after.ToJsonString());
        var sbcm = after["integrations"]!.AsArray().Single(i => i!["platformKey"]!.GetValue<string>() == "sbcm")!["figures"]!;
        Assert.Equal(0, sbcm["authorized"]!.GetValue<long>());
    }

    private async Task<JsonNode> OverviewAsync() => await _api.GetAsync("/monitoring/authFlow").ExpectAsync(HttpStatusCode.OK);

    private async Task JourneyAsync(string platformKey, string username, string? companyId = null)
    {
        companyId ??= await _api.CreateCompanyAsync("Monitored Ltd");
        var connection = await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey }).ExpectAsync(HttpStatusCode.OK);
        using var browser = app.Browser();
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = username, ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");
        Assert.Equal("app.example", browser.Location.Host);
    }
}

public sealed class AuthFlowJourneyTests_Sqlite(SqliteLinkApp app) : AuthFlowJourneyTests(app), IClassFixture<SqliteLinkApp>;

public sealed class AuthFlowJourneyTests_Postgres(PostgresLinkApp app) : AuthFlowJourneyTests(app), IClassFixture<PostgresLinkApp>;
