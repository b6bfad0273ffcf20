using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Platforms.Stripe;
using Consentry.Api.Tests.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Platforms.Credentials;

/// <summary>
/// Stripe linked with a restricted key instead of Connect, against the Stripe simulator (a test user's key is
/// <c>rk_test_sim_{username}</c>): through the Link page's form, then the reads complete with the key itself and
/// Codat's commerce endpoints serve the account's data; through <c>PUT …/authorization</c>, a rolled key is refused.
/// </summary>
public sealed class StripeRestrictedKeyTests(SqliteStripeApp app) : IClassFixture<SqliteStripeApp>
{
    private readonly HttpClient _api = app.Alpha();

    [Fact]
    public async Task FormWithATestUsersKey_Links_AndTheReadsComplete()
    {
        var user = StripeApp.NewUser();
        var companyId = await _api.CreateCompanyAsync("Restricted Key Ltd");
        var connection = await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "exgd" }).ExpectAsync(HttpStatusCode.OK);
        var connectionId = connection["id"]!.GetValue<string>();
        using var browser = app.Browser();
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery.Replace("/start", "/credentials", StringComparison.Ordinal));

        await browser.SubmitAsync("handler=Link", new() { ["apiKey"] = $"rk_test_sim_{user}" });

        var linked = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.True(linked["status"]!.GetValue<string>() == "Linked", $"{browser.Location} {browser.Html}");
        var token = await app.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().AsNoTracking().SingleAsync(t => t.ConnectionId == Guid.Parse(connectionId)));
        var stats = await app.StatsAsync(user);
        Assert.Equal(stats["account"]!.GetValue<string>(), token.Account["accountId"]);
        Assert.Equal("restricted", token.Account["keyType"]);

        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, StripeApp.FirstLinkTypes));
        var data = $"/companies/{companyId}/connections/{connectionId}/data";
        var info = await _api.GetAsync($"{data}/commerce-info").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(user, info["companyName"]!.GetValue<string>(), StringComparison.Ordinal);
        var customers = await _api.GetAsync($"{data}/commerce-customers?pageSize=1").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(stats["counts"]!["customers"]!.GetValue<int>(), customers["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task PutAuthorization_RolledKeyRefused_AnotherAccountsKeyLinks()
    {
        var rolled = StripeApp.NewUser();
        var other = StripeApp.NewUser();
        var companyId = await _api.CreateCompanyAsync("Rolled Key Ltd");
        var connectionId = await _api.CreateConnectionAsync(companyId, "exgd");
        var url = $"/companies/{companyId}/connections/{connectionId}/authorization";
        var oldKey = $"rk_test_sim_{rolled}";
        await app.ControlAsync($"users/{Uri.EscapeDataString(rolled)}/keys/roll");

        await _api.PutJsonAsync(url, new Dictionary<string, string> { ["apiKey"] = oldKey }).ExpectErrorAsync(HttpStatusCode.BadRequest, "Stripe did not accept this key");
        Assert.False(await app.WithDbAsync(db => db.ConnectionTokens.IgnoreQueryFilters().AnyAsync(t => t.ConnectionId == Guid.Parse(connectionId))));

        var newKey = $"rk_test_sim_{other}";
        var answer = await _api.PutJsonAsync(url, new Dictionary<string, string> { ["apiKey"] = newKey }).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Linked", answer["status"]!.GetValue<string>());
        Assert.DoesNotContain(newKey, answer.ToJsonString(), StringComparison.Ordinal);
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, StripeApp.FirstLinkTypes));
        var info = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/data/commerce-info").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(other, info["companyName"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(newKey, StringComparison.Ordinal) || l.Contains(oldKey, StringComparison.Ordinal));
    }
}
