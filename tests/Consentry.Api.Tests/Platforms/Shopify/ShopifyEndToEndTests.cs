using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Platforms.Shopify;

/// <summary>
/// Shopify end to end over real HTTP: the customer types the shop's admin URL on the Link page, signs in and installs the
/// app at the (simulated) shop, every data type is read to Complete through the GraphQL Admin API, Codat's commerce data
/// endpoints serve the records in Codat's shapes, a change is read incrementally, and deleting the connection uninstalls
/// the app. Each test uses its own shop, so shops never collide.
/// </summary>
public abstract class ShopifyEndToEndTests(ShopifyApp app)
{
    private static readonly Dictionary<string, (string Schema, int Count)> Lists = new()
    {
        ["commerce-customers"] = ("Customer", 5),
        ["commerce-products"] = ("Product", 4),
        ["commerce-orders"] = ("Order", 6),
        // Six sales and one refund (the fourth order's).
        ["commerce-payments"] = ("Payment", 7),
    };

    private readonly HttpClient _api = app.Alpha();

    [Fact]
    public async Task Link_FromTheAdminUrl_ReadsEveryType_ServesCodatShapes_ReadsChanges_AndUninstallsOnDelete()
    {
        var shop = ShopifyApp.NewShop();
        var (companyId, connectionId) = await app.LinkShopifyAsync(shop, shopInput: $"https://{shop.ToUpperInvariant()}.myshopify.com/admin");
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, ShopifyApp.DataTypes));
        var data = $"/companies/{companyId}/connections/{connectionId}/data";

        var info = await _api.GetAsync($"{data}/commerce-info").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(ShopifyApp.ValidateCommerce(info, "CompanyInfo"));
        Assert.Equal("GBP", info["baseCurrency"]!.GetValue<string>());
        Assert.Equal($"https://{shop}.myshopify.com/admin", info["sourceUrls"]!["admin"]!.GetValue<string>());

        foreach (var (path, (schema, count)) in Lists)
        {
            var page = await _api.GetAsync($"{data}/{path}?pageSize=100").ExpectAsync(HttpStatusCode.OK);
            var results = page["results"]!.AsArray();
            Assert.Equal(count, page["totalResults"]!.GetValue<int>());
            foreach (var record in results)
            {
                Assert.Empty(ShopifyApp.ValidateCommerce(record, schema));
                // Codat's product has no dates of its own: its variants have them.
                var dated = schema == "Product" ? record!["variants"]![0]! : record!;
                Assert.NotNull(dated["modifiedDate"]);
                Assert.NotNull(dated["sourceModifiedDate"]);
            }
        }

        // The refunded order shows its refund as a negative line and a negative payment.
        var orders = await _api.GetAsync($"{data}/commerce-orders?query={Uri.EscapeDataString("id=5000004")}").ExpectAsync(HttpStatusCode.OK);
        var refunded = Assert.Single(orders["results"]!.AsArray())!;
        Assert.True(refunded["totalRefund"]!.GetValue<decimal>() < 0);
        Assert.Contains(refunded["orderLineItems"]!.AsArray(), l => l!["quantity"]!.GetValue<decimal>() < 0);
        var payments = await _api.GetAsync($"{data}/commerce-payments?pageSize=100").ExpectAsync(HttpStatusCode.OK);
        Assert.Single(payments["results"]!.AsArray(), p => p!["amount"]!.GetValue<decimal>() < 0);

        // Incremental: one customer changes at the shop; the next read asks only for what changed since the last one.
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.ControlAsync($"shops/{shop}/customers/7000002/modify");
        await app.ControlAsync($"shops/{shop}/traffic/reset");
        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/commerce-customers", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["commerce-customers"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>());
        var dataset = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().SingleAsync(d => d.Id == Guid.Parse(queued["id"]!.GetValue<string>())));
        Assert.NotNull(dataset.ModifiedSince);
        Assert.Equal(1, dataset.RecordsRead);
        var queries = (await app.TrafficAsync(shop))["queries"]!.AsArray().Select(q => q!.GetValue<string>()).ToList();
        Assert.All(queries, q => Assert.Contains("customers(first: $first, after: $after, query: $query)", q, StringComparison.Ordinal));
        var changed = await _api.GetAsync($"{data}/commerce-customers/7000002").ExpectAsync(HttpStatusCode.OK);
        Assert.StartsWith("Changed at", changed["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(5, (await _api.GetAsync($"{data}/commerce-customers?pageSize=1").ExpectAsync(HttpStatusCode.OK))["totalResults"]!.GetValue<int>());

        // Deleting the connection uninstalls the app at the shop (Shopify's revocation): its token no longer works.
        Assert.True((await app.TrafficAsync(shop))["installed"]!.GetValue<bool>());
        using var deleted = await _api.DeleteAsync($"/companies/{companyId}/connections/{connectionId}");
        Assert.True(deleted.IsSuccessStatusCode, $"{deleted.StatusCode}");
        Assert.False((await app.TrafficAsync(shop))["installed"]!.GetValue<bool>());
    }
}

public sealed class ShopifyEndToEndTests_Sqlite(SqliteShopifyApp app) : ShopifyEndToEndTests(app), IClassFixture<SqliteShopifyApp>;

public sealed class ShopifyEndToEndTests_Postgres(PostgresShopifyApp app) : ShopifyEndToEndTests(app), IClassFixture<PostgresShopifyApp>;
