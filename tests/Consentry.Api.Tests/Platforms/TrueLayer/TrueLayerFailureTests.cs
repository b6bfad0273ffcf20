using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Platforms.TrueLayer;

/// <summary>
/// TrueLayer's failure modes against the simulator: a consent that ends in the middle of a read (403
/// <c>access_denied</c> → Deauthorized, consents Expired, <c>connection.disconnected</c>), refresh tokens rotating under
/// concurrent reads, <c>invalid_grant</c>, 429 and provider errors waited out or retried, a bank without cards (501
/// <c>endpoint_not_supported</c>), history older than 90 days outside the SCA window (<c>sca_exceeded</c>), and
/// incremental reads.
/// </summary>
public sealed class TrueLayerFailureTests(SqliteTrueLayerApp app) : IClassFixture<SqliteTrueLayerApp>, IAsyncLifetime
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task ConsentEndingDuringARead_DeauthorizesTheConnection_AsExpired()
    {
        var (companyId, connectionId) = await LinkAndReadAsync(subscribe: true);
        // The bank ends the consent after three more calls: the first page (accounts, cards, transactions) is read, the next is refused.
        await app.ControlAsync(_user, "consent/expire", new { afterCalls = 3 });

        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/banking-transactions", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["banking-transactions"]!["currentStatus"]!.GetValue<string>() == "AuthError");

        var dataset = await DatasetAsync(queued);
        Assert.True(dataset.RecordsRead > 0, "The pages before the consent ended were read.");
        await AssertDisconnectedAsync(companyId, connectionId);
        var ledger = (await _api.GetAsync($"/companies/{companyId}/consents").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray();
        Assert.Equal("Expired", ledger.Last()!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExpiredAccessToken_UnderConcurrentReads_RotatesTheRefreshTokenOnce_AndEveryReadCompletes()
    {
        var (companyId, connectionId) = await LinkAndReadAsync();
        await app.ControlAsync(_user, "access-tokens/expire");

        // Three reads meet the expired token at once; a second refresh with the rotated-away token would be invalid_grant.
        await _api.PostAsync($"/companies/{companyId}/data/all", null).ExpectAsync(HttpStatusCode.NoContent);
        var status = await app.WaitForDataStatusAsync(companyId, s => TrueLayerApp.DataTypes.All(t =>
            s[t]!["latestSyncId"]!.GetValue<string>() == s[t]!["latestSuccessfulSyncId"]?.GetValue<string>()) && Reads(companyId) >= 2 * TrueLayerApp.DataTypes.Length);

        Assert.All(TrueLayerApp.DataTypes, t => Assert.Equal("Complete", status[t]!["currentStatus"]!.GetValue<string>()));
        Assert.Equal("Linked", (await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
        var stats = await app.StatsAsync(_user);
        Assert.True(stats["refreshes"]!.GetValue<int>() >= 1);
        Assert.Equal(0, stats["reusedRefreshTokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task InvalidGrant_MakesTheConnectionDeauthorized_AndSendsDisconnected()
    {
        var (companyId, connectionId) = await LinkAndReadAsync(subscribe: true);
        await app.ControlAsync(_user, "refresh-tokens/revoke");
        await app.ControlAsync(_user, "access-tokens/expire");

        await _api.PostAsync($"/companies/{companyId}/data/queue/banking-accounts", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["banking-accounts"]!["currentStatus"]!.GetValue<string>() == "AuthError");
        await AssertDisconnectedAsync(companyId, connectionId);
    }

    [Fact]
    public async Task RateLimitsAndProviderErrors_AreWaitedOutOrRetried_AndTheReadCompletes()
    {
        var (companyId, _) = await LinkAndReadAsync();
        await app.ControlAsync(_user, "failures", new { status = 429, error = "provider_too_many_requests", retryAfterSeconds = 1 });
        await app.ControlAsync(_user, "failures", new { status = 503, error = "provider_error", description = "The provider is unavailable." });

        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/banking-transactions", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["banking-transactions"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>());

        var dataset = await DatasetAsync(queued);
        Assert.Equal(DatasetStatus.Complete, dataset.Status);
        Assert.True(dataset.RateLimitWaits >= 1, "The 429 was waited out.");
    }

    [Fact]
    public async Task BankWithoutCards_ReadsItsAccounts_AndNoCards()
    {
        var (companyId, connectionId) = await app.LinkTrueLayerAsync(_user, bank: "ob-mock-savings");
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, TrueLayerApp.DataTypes));

        var accounts = (await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/data/banking-accounts").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray();
        Assert.Equal(2, accounts.Count);
        Assert.All(accounts, a => Assert.Equal("Debit", a!["type"]!.GetValue<string>()));
        Assert.All(accounts, a => Assert.Equal("Mock Savings Bank", a!["institution"]!["name"]!.GetValue<string>()));
        // The cards endpoint was asked and answered 501 endpoint_not_supported.
        Assert.True((await app.StatsAsync(_user))["callsByEndpoint"]!["cards"]!.GetValue<int>() >= 1);
    }

    [Fact]
    public async Task OutsideTheScaWindow_OlderHistoryIsRefused_AndTheLast89DaysAreRead()
    {
        var (companyId, connectionId) = await LinkAndReadAsync();
        var before = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/data/banking-transactions?pageSize=1").ExpectAsync(HttpStatusCode.OK);
        // An hour later the bank's SCA window has closed; the watermark is dropped so the read asks for 12 months again.
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.WithDbAsync(db => db.SyncSchedules.IgnoreQueryFilters().Where(s => s.CompanyId == Guid.Parse(companyId))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Watermark, (DateTime?)null)));
        var calls = (await app.StatsAsync(_user))["callsByEndpoint"]!["accounts/transactions"]!.GetValue<int>();

        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/banking-transactions", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["banking-transactions"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>());

        // Each account was asked twice (12 months: sca_exceeded; then 89 days), and the read completed.
        var after = (await app.StatsAsync(_user))["callsByEndpoint"]!["accounts/transactions"]!.GetValue<int>();
        Assert.Equal(calls + 4, after);
        Assert.Equal(DatasetStatus.Complete, (await DatasetAsync(queued)).Status);
        Assert.Equal(before["totalResults"]!.GetValue<int>(), (await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/data/banking-transactions?pageSize=1").ExpectAsync(HttpStatusCode.OK))["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task IncrementalRead_AsksOnlyForTheWeekBeforeTheWatermark()
    {
        var (companyId, connectionId) = await LinkAndReadAsync();
        var total = (await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/data/banking-transactions?pageSize=1").ExpectAsync(HttpStatusCode.OK))["totalResults"]!.GetValue<int>();

        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/banking-transactions", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["banking-transactions"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>());

        var dataset = await DatasetAsync(queued);
        Assert.NotNull(dataset.ModifiedSince);
        Assert.InRange(dataset.RecordsRead, 1, total / 4);
        Assert.Equal(total, (await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/data/banking-transactions?pageSize=1").ExpectAsync(HttpStatusCode.OK))["totalResults"]!.GetValue<int>());
    }

    private async Task<(string CompanyId, string ConnectionId)> LinkAndReadAsync(bool subscribe = false)
    {
        if (subscribe)
        {
            await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "connection.disconnected" }, companyTags = new[] { $"user:{_user}" } })
                .ExpectAsync(HttpStatusCode.Created);
        }

        var linked = await app.LinkTrueLayerAsync(_user, tags: new { user = _user });
        await app.WaitForDataStatusAsync(linked.CompanyId, s => SyncApp.AllComplete(s, TrueLayerApp.DataTypes));
        return linked;
    }

    private async Task AssertDisconnectedAsync(string companyId, string connectionId)
    {
        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Deauthorized", connection["status"]!.GetValue<string>());
        var disconnected = (await _receiver.WaitForAsync(r => r.Count >= 1))[0];
        Assert.Equal("connection.disconnected", disconnected.EventType);
        Assert.Equal(connectionId, disconnected.Json["payload"]!["connection"]!["id"]!.GetValue<string>());
    }

    private Task<Dataset> DatasetAsync(JsonNode queued) =>
        app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().SingleAsync(d => d.Id == Guid.Parse(queued["id"]!.GetValue<string>())));

    private int Reads(string companyId) =>
        app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().CountAsync(d => d.CompanyId == Guid.Parse(companyId))).GetAwaiter().GetResult();
}
