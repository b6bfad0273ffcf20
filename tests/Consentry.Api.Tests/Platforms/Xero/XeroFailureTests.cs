using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Platforms.Xero;

/// <summary>
/// Xero's failure modes against the simulator: 429 with Retry-After, the five-calls-in-flight limit, refresh tokens
/// rotating under concurrent reads, invalid_grant and a disconnected organisation (both → Deauthorized and
/// <c>connection.disconnected</c>), deletions, and incremental reads with If-Modified-Since.
/// </summary>
public sealed class XeroFailureTests(SqliteXeroApp app) : IClassFixture<SqliteXeroApp>, IAsyncLifetime
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
    private WebhookReceiver _receiver = null!;

    private string User => Uri.EscapeDataString(_user);

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task RateLimited_WaitsRetryAfter_AndCompletes()
    {
        var (companyId, _) = await LinkAndReadAsync();
        await app.ControlAsync($"users/{User}/orgs/1/failures", new { status = 429, count = 2, retryAfterSeconds = 1, problem = "minute" });

        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/customers", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["customers"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>());

        var dataset = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().SingleAsync(d => d.Id == Guid.Parse(queued["id"]!.GetValue<string>())));
        Assert.Equal(DatasetStatus.Complete, dataset.Status);
        // Xero refused twice, and each refusal is one wait. A prefetched page that finds the organisation still paused
        // after a 429 is answered by the connector's own pause (no call to Xero) and counts as one more wait, so how
        // many more depends on timing; the read still ended Complete, well inside the limit of waits.
        Assert.InRange(dataset.RateLimitWaits, 2, new Consentry.Features.Sync.SyncOptions().MaxRateLimitWaits);
        // Both refusals were answered by waiting, never by failing the read; then every customer page was read.
        Assert.True(dataset.Completed - dataset.Started >= TimeSpan.FromSeconds(2), $"Waited only {dataset.Completed - dataset.Started}");
    }

    [Fact]
    public async Task ReadsOfOneOrganisation_NeverHaveMoreThanFiveCallsInFlight()
    {
        // Slow calls make the seven parallel reads (and their prefetched pages) overlap at Xero: without the connector's
        // gate, seven or more are in flight at once.
        await app.ControlAsync($"users/{User}/orgs/1/latency", new { milliseconds = 1000 });
        var (companyId, _) = await app.LinkXeroAsync(_user);
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, XeroApp.DataTypes));

        var stats = await app.OrgStatsAsync(_user);
        Assert.True(stats["maxConcurrent"]!.GetValue<int>() is >= 2 and <= 5, $"At most {stats["maxConcurrent"]} calls were in flight at once.");
        await app.ControlAsync($"users/{User}/orgs/1/latency", new { milliseconds = 0 });
    }

    [Fact]
    public async Task ExpiredAccessToken_UnderConcurrentReads_RotatesTheRefreshTokenOnce_AndEveryReadCompletes()
    {
        var (companyId, connectionId) = await LinkAndReadAsync();
        await app.ControlAsync($"users/{User}/access-tokens/expire");

        // Seven reads meet the expired token at once; a second refresh with the rotated-away token would be invalid_grant.
        await _api.PostAsync($"/companies/{companyId}/data/all", null).ExpectAsync(HttpStatusCode.NoContent);
        var status = await app.WaitForDataStatusAsync(companyId, s => XeroApp.DataTypes.All(t =>
            s[t]!["latestSyncId"]!.GetValue<string>() == s[t]!["latestSuccessfulSyncId"]?.GetValue<string>()) && Reads(companyId) >= 2 * XeroApp.DataTypes.Length);

        Assert.All(XeroApp.DataTypes, t => Assert.Equal("Complete", status[t]!["currentStatus"]!.GetValue<string>()));
        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Linked", connection["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvalidGrant_MakesTheConnectionDeauthorized_AndSendsDisconnected()
    {
        var (companyId, connectionId) = await LinkAndReadAsync(subscribe: true);
        await app.ControlAsync($"users/{User}/refresh-tokens/revoke");
        await app.ControlAsync($"users/{User}/access-tokens/expire");

        await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null).ExpectAsync(HttpStatusCode.OK);
        await AssertDisconnectedAsync(companyId, connectionId);
    }

    [Fact]
    public async Task DisconnectedOrganisation_MakesTheConnectionDeauthorized_AndSendsDisconnected()
    {
        var (companyId, connectionId) = await LinkAndReadAsync(subscribe: true);
        await app.ControlAsync($"users/{User}/orgs/1/disconnect");

        await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null).ExpectAsync(HttpStatusCode.OK);
        await AssertDisconnectedAsync(companyId, connectionId);
        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("disconnected", connection["dataConnectionErrors"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncrementalRead_FetchesOnlyWhatChanged_AndReflectsDeletions()
    {
        var (companyId, _) = await LinkAndReadAsync();
        var before = await app.OrgStatsAsync(_user);
        var deleted = await app.ControlAsync($"users/{User}/orgs/1/Invoices/delete", new { count = 2, type = "ACCREC" });
        var changed = await app.ControlAsync($"users/{User}/orgs/1/Invoices/modify", new { count = 28, type = "ACCPAY" });

        var invoices = await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null).ExpectAsync(HttpStatusCode.OK);
        var bills = await _api.PostAsync($"/companies/{companyId}/data/queue/bills", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["invoices"]!["latestSuccessfulSyncId"]?.GetValue<string>() == invoices["id"]!.GetValue<string>()
            && s["bills"]!["latestSuccessfulSyncId"]?.GetValue<string>() == bills["id"]!.GetValue<string>());

        var invoiceRead = await DatasetAsync(invoices);
        Assert.NotNull(invoiceRead.ModifiedSince);
        Assert.Equal(2, invoiceRead.RecordsRead);
        // At most 20 bills exist, all changed: one page of 25 was enough.
        Assert.InRange((await DatasetAsync(bills)).RecordsRead, 1, 25);
        var after = await app.OrgStatsAsync(_user);
        Assert.Equal(before["callsByResource"]!["Invoices"]!.GetValue<int>() + 2, after["callsByResource"]!["Invoices"]!.GetValue<int>());

        foreach (var id in deleted["changed"]!.AsArray())
        {
            var invoice = await _api.GetAsync($"/companies/{companyId}/data/invoices/{id!.GetValue<string>()}").ExpectAsync(HttpStatusCode.OK);
            Assert.True(invoice["metadata"]!["isDeleted"]!.GetValue<bool>());
            Assert.Equal("Void", invoice["status"]!.GetValue<string>());
        }

        var bill = await _api.GetAsync($"/companies/{companyId}/data/bills/{changed["changed"]![0]!.GetValue<string>()}").ExpectAsync(HttpStatusCode.OK);
        Assert.True(bill["sourceModifiedDate"]!.GetValue<DateTime>() > new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc));
    }

    private async Task<(string CompanyId, string ConnectionId)> LinkAndReadAsync(bool subscribe = false)
    {
        if (subscribe)
        {
            await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "connection.disconnected" }, companyTags = new[] { $"user:{_user}" } })
                .ExpectAsync(HttpStatusCode.Created);
        }

        var linked = await app.LinkXeroAsync(_user, tags: new { user = _user });
        await app.WaitForDataStatusAsync(linked.CompanyId, s => SyncApp.AllComplete(s, XeroApp.DataTypes));
        return linked;
    }

    private async Task AssertDisconnectedAsync(string companyId, string connectionId)
    {
        await app.WaitForDataStatusAsync(companyId, s => s["invoices"]!["currentStatus"]!.GetValue<string>() == "AuthError");
        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Deauthorized", connection["status"]!.GetValue<string>());
        var disconnected = (await _receiver.WaitForAsync(r => r.Count >= 1))[0];
        Assert.Equal("connection.disconnected", disconnected.EventType);
        Assert.Equal(connectionId, disconnected.Json["payload"]!["connection"]!["id"]!.GetValue<string>());
    }

    private Task<Dataset> DatasetAsync(System.Text.Json.Nodes.JsonNode queued) =>
        app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().SingleAsync(d => d.Id == Guid.Parse(queued["id"]!.GetValue<string>())));

    private int Reads(string companyId) =>
        app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().CountAsync(d => d.CompanyId == Guid.Parse(companyId))).GetAwaiter().GetResult();
}
