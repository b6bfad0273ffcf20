using System.Net;
using System.Text.Json;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Connectors.Platforms.Shopify;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Consentry.Api.Tests.Platforms.Shopify;

/// <summary>
/// Shopify when things go wrong, over real HTTP against the simulator's switchable failures: an empty cost bucket
/// (THROTTLED) is waited out until enough points are restored, and an app the merchant uninstalled (401) makes the
/// connection Deauthorized with <c>connection.disconnected</c>; 502/503 answers are retried and the reads complete.
/// </summary>
public sealed class ShopifyFailureTests(SqliteShopifyApp app) : IClassFixture<SqliteShopifyApp>, IAsyncLifetime
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _shop = ShopifyApp.NewShop();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task EmptyCostBucket_IsWaitedOut_TheBucketNeverGoesBelowZero_AndTheReadsComplete()
    {
        var (companyId, _) = await LinkAndReadAsync();
        // The bucket is empty now and refills at 400 points a second: the orders query (827 points requested) must wait ~2 s.
        await app.ControlAsync($"shops/{_shop}/throttle?restoreRate=400");
        var started = DateTime.UtcNow;
        await _api.PostAsync($"/companies/{companyId}/data/all", null).ExpectAsync(HttpStatusCode.NoContent);
        await app.WaitForDataStatusAsync(companyId, s => ShopifyApp.DataTypes.All(t => s[t]!["currentStatus"]!.GetValue<string>() == "Complete"
            && s[t]!["latestSyncId"]!.GetValue<string>() == s[t]!["latestSuccessfulSyncId"]?.GetValue<string>()
            && s[t]!["lastSuccessfulSync"]!.GetValue<DateTime>() >= started.AddSeconds(-1)));

        var waits = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().Where(d => d.Started >= started.AddSeconds(-1)).SumAsync(d => d.RateLimitWaits));
        Assert.True(waits >= 1, "the connector never waited for points");
        var traffic = await app.TrafficAsync(_shop);
        Assert.True(traffic["lowestAvailable"]!.GetValue<double>() >= 0, traffic.ToJsonString());
    }

    [Fact]
    public async Task ServerErrors_AreRetried_AndTheReadsComplete()
    {
        var (companyId, _) = await LinkAndReadAsync();
        // Two calls answer 503: fewer than the reader's retries of one page, however the datasets share them out.
        await app.ControlAsync($"shops/{_shop}/failures?count=2&status=503");
        var started = DateTime.UtcNow;
        await _api.PostAsync($"/companies/{companyId}/data/all", null).ExpectAsync(HttpStatusCode.NoContent);
        await app.WaitForDataStatusAsync(companyId, s => ShopifyApp.DataTypes.All(t => s[t]!["currentStatus"]!.GetValue<string>() == "Complete"
            && s[t]!["latestSyncId"]!.GetValue<string>() == s[t]!["latestSuccessfulSyncId"]?.GetValue<string>()
            && s[t]!["lastSuccessfulSync"]!.GetValue<DateTime>() >= started.AddSeconds(-1)));

        var traffic = await app.TrafficAsync(_shop);
        Assert.True(traffic["serverErrors"]!.GetValue<int>() >= 1, traffic.ToJsonString());
    }

    [Fact]
    public async Task AppUninstalledByTheMerchant_MakesTheConnectionDeauthorized_AndSendsDisconnected()
    {
        var (companyId, connectionId) = await LinkAndReadAsync(subscribe: true);
        await app.ControlAsync($"shops/{_shop}/uninstall");

        await _api.PostAsync($"/companies/{companyId}/data/queue/commerce-orders", null).ExpectAsync(HttpStatusCode.OK);
        var disconnected = (await _receiver.WaitForAsync(r => r.Count >= 1))[0];
        Assert.Equal("connection.disconnected", disconnected.EventType);
        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Deauthorized", connection["status"]!.GetValue<string>());
    }

    [Fact]
    public void Throttle_WaitsUntilTheBucketHoldsTheQuery_FromWhatShopifySaid()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = new ShopifyThrottle(time);
        Assert.Null(throttle.Reserve(_shop, 800)); // nothing known yet: Shopify will say

        // Shopify's THROTTLED answer: 500 requested, 100 available, 50 restored a second → 8 s until it fits.
        using var throttled = JsonDocument.Parse("""
            {"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],
             "extensions":{"cost":{"requestedQueryCost":500,"actualQueryCost":null,
               "throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":100,"restoreRate":50.0}}}}
            """);
        Assert.Equal(TimeSpan.FromSeconds(8), throttle.Observe(_shop, throttled.RootElement, throttled: true));

        // Before the next query: still 100 points, so 800 must wait 14 s; after 14 s it goes, and reserves its points.
        Assert.Equal(TimeSpan.FromSeconds(14), throttle.Reserve(_shop, 800));
        time.Advance(TimeSpan.FromSeconds(14));
        Assert.Null(throttle.Reserve(_shop, 800));
        Assert.NotNull(throttle.Reserve(_shop, 800));
    }

    private async Task<(string CompanyId, string ConnectionId)> LinkAndReadAsync(bool subscribe = false)
    {
        if (subscribe)
        {
            await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "connection.disconnected" }, companyTags = new[] { $"shop:{_shop}" } })
                .ExpectAsync(HttpStatusCode.Created);
        }

        var linked = await app.LinkShopifyAsync(_shop, tags: new { shop = _shop });
        await app.WaitForDataStatusAsync(linked.CompanyId, s => SyncApp.AllComplete(s, ShopifyApp.DataTypes));
        return linked;
    }
}
