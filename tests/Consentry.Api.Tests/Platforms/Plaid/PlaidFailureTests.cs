using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Platforms.Plaid;

/// <summary>
/// Plaid's failure modes against the simulator: transactions removed and modified at Plaid reach Consentry through
/// <c>/transactions/sync</c>'s cursor, a consent that ends in the middle of a read (ITEM_LOGIN_REQUIRED with
/// OAUTH_CONSENT_EXPIRED → Deauthorized, consents Expired, <c>connection.disconnected</c>), 429 RATE_LIMIT_EXCEEDED and
/// 5xx API_ERROR waited out or retried, and a UK item's consent expiry: the warning, the expiry, and update-mode
/// re-consent on the same connection id. Each test signs in as its own user.
/// </summary>
public sealed class PlaidFailureTests(SqlitePlaidApp app) : IClassFixture<SqlitePlaidApp>, IAsyncLifetime
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task RemovedAndModifiedTransactions_ReachTheNextRead_ThroughTheSyncCursor()
    {
        var (companyId, connectionId) = await LinkAndReadAsync();
        var removed = (await app.ControlAsync(_user, "transactions/remove", new { count = 2 })).AsArray().Select(i => i!.GetValue<string>()).ToList();
        var modified = (await app.ControlAsync(_user, "transactions/modify", new { count = 2 })).AsArray().Select(i => i!.GetValue<string>()).ToList();
        Assert.Equal(2, removed.Count);
        Assert.Equal(2, modified.Count);

        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/banking-transactions", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["banking-transactions"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>());

        var transactions = await AllAsync(companyId, connectionId);
        Assert.All(removed, id =>
        {
            // Kept and marked deleted (or left out, as the data API may serve tombstones): never served as live.
            var record = transactions.SingleOrDefault(t => t!["id"]!.GetValue<string>() == id);
            Assert.True(record is null || record["metadata"]?["isDeleted"]?.GetValue<bool>() == true, record?.ToJsonString());
        });
        Assert.All(modified, id =>
        {
            var record = Assert.Single(transactions, t => t!["id"]!.GetValue<string>() == id)!;
            Assert.EndsWith("(corrected)", record["description"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.NotEqual(true, record["metadata"]?["isDeleted"]?.GetValue<bool>());
        });
        var live = transactions.Count(t => t!["metadata"]?["isDeleted"]?.GetValue<bool>() != true);
        Assert.Equal((await app.ItemAsync(_user))["transactions"]!.GetValue<int>(), live);
    }

    [Fact]
    public async Task ConsentEndingDuringARead_DeauthorizesTheConnection_AsExpired()
    {
        var (companyId, connectionId) = await LinkAndReadAsync(subscribe: true);
        // Enough new transactions for several /transactions/sync pages; Plaid ends the consent after three more calls.
        await app.ControlAsync(_user, "transactions/add", new { count = 200 });
        await app.ControlAsync(_user, "item/consent", new { afterCalls = 3 });

        await _api.PostAsync($"/companies/{companyId}/data/queue/banking-transactions", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["banking-transactions"]!["currentStatus"]!.GetValue<string>() == "AuthError");

        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Deauthorized", connection["status"]!.GetValue<string>());
        Assert.Contains("ITEM_LOGIN_REQUIRED", connection["dataConnectionErrors"]!.ToJsonString(), StringComparison.Ordinal);
        var disconnected = await _receiver.WaitForAsync(r => r.Any(e => e.EventType == "connection.disconnected"));
        Assert.Equal(connectionId, disconnected.First(e => e.EventType == "connection.disconnected").Json["payload"]!["connection"]!["id"]!.GetValue<string>());
        var ledger = (await _api.GetAsync($"/companies/{companyId}/consents").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray();
        Assert.Equal("Expired", ledger.Last()!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task RateLimitsAndApiErrors_AreWaitedOutOrRetried_AndTheReadCompletes()
    {
        var (companyId, connectionId) = await LinkAndReadAsync();
        await app.ControlAsync(_user, "item/failures", new { status = 429, count = 1 });
        await app.ControlAsync(_user, "item/failures", new { status = 500, count = 1 });

        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/banking-transactions", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["banking-transactions"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>());

        var dataset = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().SingleAsync(d => d.Id == Guid.Parse(queued["id"]!.GetValue<string>())));
        Assert.Equal(DatasetStatus.Complete, dataset.Status);
        Assert.True(dataset.RateLimitWaits >= 1, "The 429 was waited out.");
        // Both failures were answered to this read, and it still completed: the 500 was retried.
        Assert.Equal(0, (await app.ItemAsync(_user))["failuresQueued"]!.GetValue<int>());
        Assert.Equal("Linked", (await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task UkConsent_WarnsBeforeExpiry_ExpiresToDeauthorized_AndUpdateModeReconsentKeepsTheConnection()
    {
        await _api.PostJsonAsync("/webhooks", new
        {
            url = _receiver.Url(),
            eventTypes = new[] { "connection.consent.expiring", "connection.disconnected", "connection.reconnected" },
            companyTags = new[] { $"user:{_user}" },
        }).ExpectAsync(HttpStatusCode.Created);
        var (companyId, connectionId) = await app.LinkPlaidAsync(_user, PlaidApp.UkBank, tags: new { user = _user });
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, PlaidApp.DataTypes));

        // /item/get's consent_expiration_time (Royal Bank of Plaid: 90 days) is the connection's consentExpiresAt.
        var consents = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/consents").ExpectAsync(HttpStatusCode.OK);
        var expiresAt = consents["consentExpiresAt"]!.GetValue<DateTime>().ToUniversalTime();
        var atPlaid = (await app.ItemAsync(_user))["consentExpirationTime"]!.GetValue<DateTime>().ToUniversalTime();
        Assert.Equal(atPlaid, expiresAt, TimeSpan.FromSeconds(1));
        Assert.InRange(expiresAt - app.Time.GetUtcNow().UtcDateTime, TimeSpan.FromDays(89), TimeSpan.FromDays(91));

        // Six days before the end: the warning. A day after it: Deauthorized, the consents Expired, the app told.
        app.Time.Advance(expiresAt - app.Time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(6));
        var warned = await _receiver.WaitForAsync(r => r.Any(e => e.EventType == "connection.consent.expiring"));
        Assert.Equal(connectionId, warned.First(e => e.EventType == "connection.consent.expiring").Json["payload"]!["connection"]!["id"]!.GetValue<string>());
        app.Time.Advance(TimeSpan.FromDays(7));
        await _receiver.WaitForAsync(r => r.Any(e => e.EventType == "connection.disconnected"));
        Assert.Equal("Deauthorized", (await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
        var ledger = (await _api.GetAsync($"/companies/{companyId}/consents").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray();
        Assert.Equal("Expired", ledger.Last()!["action"]!.GetValue<string>());

        // Update mode: the same connection id, Linked again with a new 90 days, and read again.
        var itemId = (await app.ItemAsync(_user))["itemId"]!.GetValue<string>();
        using var browser = await app.HostedLinkAsync($"{app.BaseUrl}/link/companies/{companyId}/connections/{connectionId}/start", _user, PlaidApp.UkBank);
        await app.AssertLinkedAsync(companyId, connectionId, browser);
        await _receiver.WaitForAsync(r => r.Any(e => e.EventType == "connection.reconnected"));
        Assert.Equal(itemId, (await app.ItemAsync(_user))["itemId"]!.GetValue<string>());
        var renewed = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/consents").ExpectAsync(HttpStatusCode.OK);
        Assert.True(renewed["consentExpiresAt"]!.GetValue<DateTime>().ToUniversalTime() > app.Time.GetUtcNow().UtcDateTime.AddDays(89));
        var again = await _api.PostAsync($"/companies/{companyId}/data/queue/banking-transactions", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["banking-transactions"]!["latestSuccessfulSyncId"]?.GetValue<string>() == again["id"]!.GetValue<string>());
    }

    private async Task<(string CompanyId, string ConnectionId)> LinkAndReadAsync(bool subscribe = false)
    {
        if (subscribe)
        {
            await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "connection.disconnected" }, companyTags = new[] { $"user:{_user}" } })
                .ExpectAsync(HttpStatusCode.Created);
        }

        var linked = await app.LinkPlaidAsync(_user, tags: new { user = _user });
        await app.WaitForDataStatusAsync(linked.CompanyId, s => SyncApp.AllComplete(s, PlaidApp.DataTypes));
        return linked;
    }

    private async Task<List<JsonNode?>> AllAsync(string companyId, string connectionId)
    {
        var records = new List<JsonNode?>();
        for (var page = 1; ; page++)
        {
            var body = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/data/banking-transactions?page={page}&pageSize=100").ExpectAsync(HttpStatusCode.OK);
            var results = body["results"]!.AsArray();
            records.AddRange(results.Select(r => r?.DeepClone()));
            if (results.Count < 100)
            {
                return records;
            }
        }
    }
}
