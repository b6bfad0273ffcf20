using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Platforms.QuickBooks;

/// <summary>
/// QuickBooks Online when things go wrong, over real HTTP against the simulator's switchable failures: throttling,
/// expired and refused tokens, a company that disconnected the app, and records changed, voided and deleted between reads.
/// </summary>
public sealed class QuickBooksFailureTests(SqliteQuickBooksApp app) : IClassFixture<SqliteQuickBooksApp>, IAsyncLifetime
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Throttled_429WithRetryAfter_IsWaitedOut_AndTheReadCompletes()
    {
        var (companyId, _, realmId) = await LinkAndReadAsync();
        await app.ControlAsync($"companies/{realmId}/fail?status=429&count=2&retryAfter=1");

        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/customers", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["customers"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>());

        var dataset = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().SingleAsync(d => d.Id == Guid.Parse(queued["id"]!.GetValue<string>())));
        Assert.Equal(2, dataset.RateLimitWaits);
        Assert.Equal(DatasetStatus.Complete, dataset.Status);
        // Retry-After was honoured: the read took at least the two waits.
        Assert.True(dataset.Completed!.Value - dataset.Started!.Value >= TimeSpan.FromSeconds(2), $"{dataset.Completed - dataset.Started}");
    }

    [Fact]
    public async Task ExpiredAccessTokens_UnderConcurrentReads_AreRefreshedOnce_WithoutInvalidGrant()
    {
        var (companyId, connectionId, realmId) = await LinkAndReadAsync();
        await app.ControlAsync($"companies/{realmId}/expire-access-tokens");

        // Seven reads at once all meet 401 AuthenticationFailed; the refresh token rotates (Intuit answers a new one and
        // this simulator refuses the previous one at once), so a second refresh with the old token would be invalid_grant.
        var started = DateTime.UtcNow;
        await _api.PostAsync($"/companies/{companyId}/data/all", null).ExpectAsync(HttpStatusCode.NoContent);
        await app.WaitForDataStatusAsync(companyId, s => QuickBooksApp.DataTypes.All(t => s[t]!["currentStatus"]!.GetValue<string>() == "Complete"
            && s[t]!["latestSyncId"]!.GetValue<string>() == s[t]!["latestSuccessfulSyncId"]?.GetValue<string>()
            && s[t]!["lastSuccessfulSync"]!.GetValue<DateTime>() >= started.AddSeconds(-1)));

        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Linked", connection["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task RefusedRefreshToken_InvalidGrant_MakesTheConnectionDeauthorized_AndSendsDisconnected()
    {
        var (companyId, connectionId, realmId) = await LinkAndReadAsync(subscribe: true);
        await app.ControlAsync($"companies/{realmId}/revoke-refresh-tokens");
        await app.ControlAsync($"companies/{realmId}/expire-access-tokens");

        await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null).ExpectAsync(HttpStatusCode.OK);
        await AssertDisconnectedAsync(companyId, connectionId);
    }

    [Fact]
    public async Task CompanyDisconnectingTheApp_MakesTheConnectionDeauthorized_AndSendsDisconnected()
    {
        var (companyId, connectionId, realmId) = await LinkAndReadAsync(subscribe: true);
        await app.ControlAsync($"companies/{realmId}/disconnect");

        await _api.PostAsync($"/companies/{companyId}/data/queue/customers", null).ExpectAsync(HttpStatusCode.OK);
        await AssertDisconnectedAsync(companyId, connectionId);
    }

    [Fact]
    public async Task IncrementalRead_FetchesOnlyWhatChanged_AndReflectsVoidedAndDeletedInvoices()
    {
        var (companyId, _, realmId) = await LinkAndReadAsync();
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.ControlAsync($"companies/{realmId}/Invoice/5/modify");
        await app.ControlAsync($"companies/{realmId}/Invoice/6/void");
        await app.ControlAsync($"companies/{realmId}/Invoice/7/delete");
        await app.ControlAsync($"companies/{realmId}/traffic/reset");

        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["invoices"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>());

        var dataset = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().SingleAsync(d => d.Id == Guid.Parse(queued["id"]!.GetValue<string>())));
        Assert.NotNull(dataset.ModifiedSince);
        Assert.Equal(3, dataset.RecordsRead);

        // One query for what changed since the last read, one Change Data Capture call for what was deleted.
        var queries = (await app.TrafficAsync(realmId))["queries"]!.AsArray().Select(q => q!.GetValue<string>()).ToList();
        Assert.Equal(2, queries.Count);
        Assert.Contains("where MetaData.LastUpdatedTime > '", queries[0], StringComparison.Ordinal);
        Assert.StartsWith("cdc ?entities=Invoice&changedSince=", queries[1], StringComparison.Ordinal);

        var changed = await _api.GetAsync($"/companies/{companyId}/data/invoices/5").ExpectAsync(HttpStatusCode.OK);
        Assert.StartsWith("Changed at", changed["note"]!.GetValue<string>(), StringComparison.Ordinal);
        var voided = await _api.GetAsync($"/companies/{companyId}/data/invoices/6").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Void", voided["status"]!.GetValue<string>());
        Assert.Empty(VendorDocuments.ValidateCodat(voided, "AccountingInvoice"));
        var deleted = await _api.GetAsync($"/companies/{companyId}/data/invoices/7").ExpectAsync(HttpStatusCode.OK);
        Assert.True(deleted["metadata"]!["isDeleted"]!.GetValue<bool>());
        // Change Data Capture says only "deleted": the record read before keeps every field, as Codat shows deleted ones.
        Assert.Empty(VendorDocuments.ValidateCodat(deleted, "AccountingInvoice"));
        Assert.NotNull(deleted["customerRef"]);
        var untouched = await _api.GetAsync($"/companies/{companyId}/data/invoices/8").ExpectAsync(HttpStatusCode.OK);
        Assert.False(untouched["metadata"]!["isDeleted"]!.GetValue<bool>());
    }

    private async Task<(string CompanyId, string ConnectionId, string RealmId)> LinkAndReadAsync(bool subscribe = false)
    {
        if (subscribe)
        {
            await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "connection.disconnected" }, companyTags = new[] { $"user:{_user}" } })
                .ExpectAsync(HttpStatusCode.Created);
        }

        var linked = await app.LinkQuickBooksAsync(_user, tags: new { user = _user });
        await app.WaitForDataStatusAsync(linked.CompanyId, s => SyncApp.AllComplete(s, QuickBooksApp.DataTypes));
        return linked;
    }

    private async Task AssertDisconnectedAsync(string companyId, string connectionId)
    {
        var disconnected = (await _receiver.WaitForAsync(r => r.Count >= 1))[0];
        Assert.Equal("connection.disconnected", disconnected.EventType);
        Assert.Equal("Deauthorized", disconnected.Json["payload"]!["connection"]!["status"]!.GetValue<string>());
        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Deauthorized", connection["status"]!.GetValue<string>());
    }
}

/// <summary>With Intuit's real limits on, the simulator refuses an 11th concurrent request: the connector never sends one.</summary>
public sealed class QuickBooksLimitTests(LimitedQuickBooksApp app) : IClassFixture<LimitedQuickBooksApp>
{
    [Fact]
    public async Task ManyConcurrentReads_NeverExceedTenRequestsAtOnceForTheRealm()
    {
        var user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
        var (companyId, _, realmId) = await app.LinkQuickBooksAsync(user);
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, QuickBooksApp.DataTypes));
        var api = app.Alpha();
        for (var i = 0; i < 3; i++)
        {
            await api.PostAsync($"/companies/{companyId}/data/all", null).ExpectAsync(HttpStatusCode.NoContent);
        }

        await app.WaitForDataStatusAsync(companyId, s => QuickBooksApp.DataTypes.All(t => s[t]!["currentStatus"]!.GetValue<string>() == "Complete"
            && s[t]!["latestSyncId"]!.GetValue<string>() == s[t]!["latestSuccessfulSyncId"]?.GetValue<string>()));

        var traffic = await app.TrafficAsync(realmId);
        Assert.InRange(traffic["maxConcurrent"]!.GetValue<int>(), 1, 10);
        Assert.Equal(0, traffic["throttled"]!.GetValue<int>());
    }
}
