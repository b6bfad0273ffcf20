using System.Globalization;
using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Connectors.Platforms.Shopify;
using Consentry.Sandbox.Simulators.Shopify;
using Microsoft.AspNetCore.WebUtilities;

namespace Consentry.Api.Tests.Platforms.Shopify;

/// <summary>
/// Attacks on Shopify's callback, over real HTTP in the customer's own browser (so the state and browser binding are
/// genuine and only Shopify's own checks stand in the way): a forged hmac, another shop's genuinely signed callback, a
/// signed callback naming a host that is not a myshopify.com store, and a stale one. Each is refused with a clear reason,
/// the connection stays unlinked, and no code is exchanged at the shop. The untouched callback links, so the tooling can fail.
/// </summary>
public sealed class ShopifyCallbackTests(SqliteShopifyApp app) : IClassFixture<SqliteShopifyApp>
{
    private readonly HttpClient _api = app.Alpha();

    [Fact]
    public async Task GenuineCallback_Links()
    {
        var shop = ShopifyApp.NewShop();
        var (companyId, connectionId, browser) = await app.StartAsync(shop);
        using (browser)
        {
            await browser.GoAsync((await ShopifyApp.InstallWithoutFollowingAsync(browser)).PathAndQuery);
        }

        Assert.Equal("Linked", (await ConnectionAsync(companyId, connectionId))["status"]!.GetValue<string>());
        Assert.Equal(1, (await app.TrafficAsync(shop))["tokenRequests"]!.GetValue<int>());
    }

    [Fact]
    public async Task ForgedHmac_IsRefused_AndNothingIsExchanged()
    {
        await AssertRefusedAsync(callback =>
        {
            var hmac = callback["hmac"];
            callback["hmac"] = (hmac[0] == 'a' ? "b" : "a") + hmac[1..];
        }, "does not match");
    }

    [Fact]
    public async Task TamperedParameter_UnderTheOriginalHmac_IsRefused()
    {
        await AssertRefusedAsync(callback => callback["code"] = "0907a61c0c8d55e99db179b68161bc00", "does not match");
    }

    [Fact]
    public async Task NonShopifyHost_EvenCorrectlySigned_IsRefused()
    {
        await AssertRefusedAsync(callback =>
        {
            callback["shop"] = "evil.example.com";
            callback["hmac"] = ShopifyShop.Sign(callback, ShopifySimulator.SimulatorClientSecret);
        }, "not a myshopify.com store");
    }

    [Fact]
    public async Task StaleTimestamp_IsRefused()
    {
        await AssertRefusedAsync(callback =>
        {
            callback["timestamp"] = app.Time.GetUtcNow().AddMinutes(-10).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            callback["hmac"] = ShopifyShop.Sign(callback, ShopifySimulator.SimulatorClientSecret);
        }, "too old");
    }

    [Fact]
    public async Task AnotherShopsGenuineCallback_CarryingThisFlowsState_IsRefused()
    {
        // The attacker installs the app on their own shop with the victim's state: Shopify signs that callback genuinely.
        var victimShop = ShopifyApp.NewShop();
        var attackerShop = ShopifyApp.NewShop();
        var (companyId, connectionId, browser) = await app.StartAsync(victimShop);
        using (browser)
        {
            var authorize = browser.Visited.Last(u => u.AbsolutePath.EndsWith("/oauth/authorize", StringComparison.Ordinal));
            using var attacker = app.Browser();
            await attacker.GoAsync(authorize.PathAndQuery.Replace($"/shops/{victimShop}/", $"/shops/{attackerShop}/", StringComparison.Ordinal));
            await attacker.SubmitAsync("authorize/login", new() { ["username"] = "user_good", ["password"] = "pass_good" });
            var forged = await ShopifyApp.InstallWithoutFollowingAsync(attacker);
            Assert.Contains($"shop={attackerShop}.myshopify.com", forged.Query, StringComparison.Ordinal);

            await browser.GoAsync(forged.PathAndQuery);
        }

        await AssertNotLinkedAsync(companyId, connectionId, "another shop");
        Assert.Equal(0, (await app.TrafficAsync(attackerShop))["tokenRequests"]!.GetValue<int>());
    }

    private async Task AssertRefusedAsync(Action<Dictionary<string, string>> tamper, string reason)
    {
        var shop = ShopifyApp.NewShop();
        var (companyId, connectionId, browser) = await app.StartAsync(shop);
        using (browser)
        {
            var genuine = await ShopifyApp.InstallWithoutFollowingAsync(browser);
            var callback = QueryHelpers.ParseQuery(genuine.Query).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
            tamper(callback);
            await browser.GoAsync(QueryHelpers.AddQueryString(genuine.AbsolutePath, callback!));
        }

        await AssertNotLinkedAsync(companyId, connectionId, reason);
        Assert.Equal(0, (await app.TrafficAsync(shop))["tokenRequests"]!.GetValue<int>());
    }

    private async Task AssertNotLinkedAsync(string companyId, string connectionId, string reason)
    {
        var connection = await ConnectionAsync(companyId, connectionId);
        Assert.NotEqual("Linked", connection["status"]!.GetValue<string>());
        Assert.Contains(reason, connection["dataConnectionErrors"]!.ToJsonString(), StringComparison.Ordinal);
    }

    private async Task<System.Text.Json.Nodes.JsonNode> ConnectionAsync(string companyId, string connectionId) =>
        await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
}
