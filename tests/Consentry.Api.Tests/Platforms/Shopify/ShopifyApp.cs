using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Persistence;
using Consentry.Sandbox.Simulators.Shopify;

namespace Consentry.Api.Tests.Platforms.Shopify;

/// <summary>
/// The host on Kestrel with <c>Consentry:Platforms:UseSimulators</c> on: Shopify (<c>fztf</c>) is the simulator under
/// <c>/simulators/shopify</c>, each shop at <c>/simulators/shopify/shops/{shop}/admin/…</c>, reached over real HTTP.
/// </summary>
public class ShopifyApp(DatabaseProvider provider) : SyncApp(provider)
{
    public const string Key = "fztf";
    public const string Simulator = "/simulators/shopify";

    /// <summary>Every data type the connector reads.</summary>
    public static readonly string[] DataTypes = ["commerce-companyInfo", "commerce-customers", "commerce-products", "commerce-orders", "commerce-payments"];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Consentry:Platforms:UseSimulators"] = "true",
    };

    /// <summary>A shop name no other test uses.</summary>
    public static string NewShop() => "shop-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// Creates a company and a Shopify connection, enters <paramref name="shopInput"/> on the Link page and signs in at the
    /// simulated shop: the browser is left on the install page.
    /// </summary>
    public async Task<(string CompanyId, string ConnectionId, LinkBrowser Browser)> StartAsync(string shopInput, string username = "user_good", object? tags = null)
    {
        var api = Alpha();
        var companyId = await api.CreateCompanyAsync("Shopify Merchant Ltd", tags);
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = Key }).ExpectAsync(HttpStatusCode.OK);
        var browser = Browser();
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        await browser.SubmitAsync("handler=Continue", new() { ["shop"] = shopInput });
        Assert.Contains($"{Simulator}/shops/", browser.Location.AbsolutePath, StringComparison.Ordinal);
        await browser.SubmitAsync("authorize/login", new() { ["username"] = username, ["password"] = "pass_good" });
        return (companyId, connection["id"]!.GetValue<string>(), browser);
    }

    /// <summary>Walks the whole journey; the connection ends Linked to <paramref name="shop"/>.</summary>
    public async Task<(string CompanyId, string ConnectionId)> LinkShopifyAsync(string shop, string? shopInput = null, string username = "user_good", object? tags = null)
    {
        var (companyId, connectionId, browser) = await StartAsync(shopInput ?? shop, username, tags);
        using (browser)
        {
            await browser.SubmitAsync("authorize/install");
        }

        var linked = await Alpha().GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Linked", linked["status"]!.GetValue<string>());
        return (companyId, connectionId);
    }

    /// <summary>Presses Install at the simulated shop without following the redirect: Shopify's signed callback URL.</summary>
    public static async Task<Uri> InstallWithoutFollowingAsync(LinkBrowser browser)
    {
        var form = browser.Forms().First(f => f.Action.Contains("authorize/install", StringComparison.Ordinal));
        using var raw = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var response = await raw.PostAsync(new Uri(browser.Location, form.Action), new FormUrlEncodedContent(form.Hidden));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>The simulator's test controls, authenticated with its client credentials.</summary>
    public HttpClient Control()
    {
        var client = new HttpClient { BaseAddress = new Uri($"{BaseUrl}{Simulator}/control/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            Encoding.UTF8.GetBytes($"{ShopifySimulator.SimulatorClientId}:{ShopifySimulator.SimulatorClientSecret}")));
        return client;
    }

    public async Task ControlAsync(string path)
    {
        using var response = await Control().PostAsync(path, null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public async Task<JsonNode> TrafficAsync(string shop) => await Control().GetAsync($"shops/{shop}/traffic").ExpectAsync(HttpStatusCode.OK);

    /// <summary>Codat's commerce shapes (<c>Codat-Commerce.json</c>): the violations of <paramref name="record"/> against <paramref name="schema"/>, undeclared properties included.</summary>
    public static IReadOnlyList<Contract.SchemaViolation> ValidateCommerce(JsonNode? record, string schema) =>
        Contract.CodatDataDocuments.CheckRecord(Contract.CodatDataDocuments.Commerce, record, schema);
}

public sealed class SqliteShopifyApp() : ShopifyApp(DatabaseProvider.Sqlite);

public sealed class PostgresShopifyApp() : ShopifyApp(DatabaseProvider.Postgres);
