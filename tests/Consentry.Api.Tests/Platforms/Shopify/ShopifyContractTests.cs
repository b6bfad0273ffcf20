using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Connectors.Platforms.Shopify;
using Consentry.Sandbox.Simulators.Shopify;
using Microsoft.AspNetCore.WebUtilities;

namespace Consentry.Api.Tests.Platforms.Shopify;

/// <summary>
/// The simulator held to examples from Shopify's public documentation (there is no machine-readable Shopify document in
/// shared/reference): every answer the connector uses has every field the example has, with the same JSON type. Drives the
/// simulator directly, as a vendor client would: install, the code exchange, then GraphQL with X-Shopify-Access-Token.
/// </summary>
public sealed partial class ShopifyContractTests(SqliteShopifyApp app) : IClassFixture<SqliteShopifyApp>
{
    // shopify.dev, "Authenticate a standalone or API-only app" / authorization code grant, step "Get an access token":
    // the offline token answer (no expires_in, no refresh token).
    private const string AccessTokenExample = """{"access_token":"f85632530bf277ec9ac6f649fc327f17","scope":"write_orders,read_customers"}""";

    // shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits, "Cost in the response": every answer's extensions.cost.
    private const string CostExample = """
        {"data":{},"extensions":{"cost":{"requestedQueryCost":101,"actualQueryCost":46,
          "throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":954,"restoreRate":50.0}}}}
        """;

    // community.shopify.com/t/throttled/254776 (Shopify's THROTTLED answer as an app received it; shopify.dev's rate-limits
    // page names the THROTTLED code): errors at the top level beside extensions.cost, actualQueryCost null.
    private const string ThrottledExample = """
        {"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}],
         "extensions":{"cost":{"requestedQueryCost":752,"actualQueryCost":null,
           "throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":666,"restoreRate":50.0}}}}
        """;

    // community.shopify.com/t/errors-api-invalid-api-key-or-access-token-unrecognized-login-or-wrong-password/3332: the 401
    // for an unknown or revoked (uninstalled) token; errors is a string here, not GraphQL's array.
    private const string InvalidTokenExample = """{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}""";

    // shopify.dev GraphQL Admin API reference, queries shop / customers / products / orders: the fields the connector asks for,
    // in the reference's shapes (a connection's nodes and pageInfo { hasNextPage endCursor }, money as MoneyBag.shopMoney).
    private const string ShopExample = """
        {"data":{"shop":{"id":"gid://shopify/Shop/548380009","name":"Snowdevil","email":"j.smith@example.com","contactEmail":"j.smith@example.com",
          "myshopifyDomain":"snowdevil.myshopify.com","currencyCode":"USD","ianaTimezone":"America/New_York",
          "createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-02T00:00:00Z",
          "primaryDomain":{"url":"https://snowdevil.myshopify.com","host":"snowdevil.myshopify.com"},
          "billingAddress":{"address1":"190 MacLaren Street","city":"Ottawa","province":"Ontario","country":"Canada","countryCodeV2":"CA","zip":"K2P 0L6"}}}}
        """;

    private const string CustomersExample = """
        {"data":{"customers":{"pageInfo":{"hasNextPage":true,"endCursor":"eyJsYXN0X2lkIjo1NDQzNjU5NjcsImxhc3RfdmFsdWUiOjU0NDM2NTk2N30="},
          "nodes":[{"id":"gid://shopify/Customer/544365967","displayName":"Bob Bobsen","firstName":"Bob","lastName":"Bobsen",
            "email":"bob@example.com","state":"ENABLED","createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-02T00:00:00Z",
            "addresses":[{"address1":"Chestnut Street 92","city":"Louisville","province":"Kentucky","country":"United States","countryCodeV2":"US","zip":"40202"}]}]}}}
        """;

    private const string ProductsExample = """
        {"data":{"products":{"pageInfo":{"hasNextPage":false,"endCursor":"eyJsYXN0X2lkIjoxMDc5NjIxMjA1fQ=="},
          "nodes":[{"id":"gid://shopify/Product/108828309","title":"Draft","description":"a description","productType":"Snowboard","vendor":"Snowdevil",
            "status":"ACTIVE","isGiftCard":false,"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-02T00:00:00Z",
            "variants":{"nodes":[{"id":"gid://shopify/ProductVariant/30322695","title":"151cm","sku":"","price":"10.00","inventoryQuantity":30,
              "taxable":true,"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-02T00:00:00Z"}]}}]}}}
        """;

    private const string OrdersExample = """
        {"data":{"orders":{"pageInfo":{"hasNextPage":false,"endCursor":"eyJsYXN0X2lkIjo0NTAxfQ=="},
          "nodes":[{"id":"gid://shopify/Order/148977776","name":"#1001","createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-02T00:00:00Z",
            "processedAt":"2024-01-01T00:00:00Z","currencyCode":"USD","displayFinancialStatus":"PAID",
            "subtotalPriceSet":{"shopMoney":{"amount":"10.0","currencyCode":"USD"}},"totalPriceSet":{"shopMoney":{"amount":"11.5","currencyCode":"USD"}},
            "lineItems":{"nodes":[{"id":"gid://shopify/LineItem/25746870","name":"Draft - 151cm","quantity":1,
              "originalUnitPriceSet":{"shopMoney":{"amount":"10.0","currencyCode":"USD"}},"taxLines":[{"ratePercentage":15.0,"priceSet":{"shopMoney":{"amount":"1.5","currencyCode":"USD"}}}]}]},
            "transactions":[{"id":"gid://shopify/OrderTransaction/389404469","kind":"SALE","status":"SUCCESS","gateway":"bogus",
              "createdAt":"2024-01-01T00:00:00Z","amountSet":{"shopMoney":{"amount":"11.5","currencyCode":"USD"}}}]}]}}}
        """;

    [Fact]
    public async Task TokenAndEveryQueryTheConnectorSends_HaveTheShapesOfShopifysExamples()
    {
        var shop = ShopifyApp.NewShop();
        var token = await InstallAsync(shop);
        AssertShape(AccessTokenExample, token);
        Assert.DoesNotContain("refresh_token", token, StringComparison.Ordinal);

        using var api = new HttpClient();
        api.DefaultRequestHeaders.Add("X-Shopify-Access-Token", JsonNode.Parse(token)!["access_token"]!.GetValue<string>());
        var url = GraphQl(shop);

        var shopAnswer = await QueryAsync(api, url, ShopifyQueries.Shop, new());
        AssertShape(ShopExample, shopAnswer);
        AssertShape(CostExample, shopAnswer);

        var examples = new Dictionary<string, string>
        {
            [ShopifyMapping.Customers] = CustomersExample, [ShopifyMapping.Products] = ProductsExample, [ShopifyMapping.Orders] = OrdersExample,
        };
        foreach (var (type, example) in examples)
        {
            var first = await QueryAsync(api, url, ShopifyQueries.Lists[type].Query, new JsonObject { ["first"] = 1 });
            AssertShape(example, first);
            AssertShape(CostExample, first);
        }
    }

    [Fact]
    public async Task ThrottledAndInvalidToken_HaveTheShapesOfShopifysExamples()
    {
        var shop = ShopifyApp.NewShop();
        var token = JsonNode.Parse(await InstallAsync(shop))!["access_token"]!.GetValue<string>();
        using var api = new HttpClient();
        api.DefaultRequestHeaders.Add("X-Shopify-Access-Token", token);

        await app.ControlAsync($"shops/{shop}/throttle?restoreRate=1");
        var throttled = await QueryAsync(api, GraphQl(shop), ShopifyQueries.Lists[ShopifyMapping.Orders].Query, new JsonObject { ["first"] = 5 });
        AssertShape(ThrottledExample, throttled);
        Assert.Equal("THROTTLED", JsonNode.Parse(throttled)!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());

        await app.ControlAsync($"shops/{shop}/uninstall");
        using var refused = await api.PostAsync(GraphQl(shop), Json(new JsonObject { ["query"] = ShopifyQueries.Shop }));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync();
        AssertShape(InvalidTokenExample, body);
        Assert.Equal(JsonNode.Parse(InvalidTokenExample)!.ToJsonString(), JsonNode.Parse(body)!.ToJsonString());
    }

    [Fact]
    public async Task ServerErrorControl_AnswersThe5xx_ThenRecovers()
    {
        var shop = ShopifyApp.NewShop();
        var token = JsonNode.Parse(await InstallAsync(shop))!["access_token"]!.GetValue<string>();
        using var api = new HttpClient();
        api.DefaultRequestHeaders.Add("X-Shopify-Access-Token", token);

        await app.ControlAsync($"shops/{shop}/failures?count=1&status=502");
        using (var failed = await api.PostAsync(GraphQl(shop), Json(new JsonObject { ["query"] = ShopifyQueries.Shop })))
        {
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        }

        AssertShape(ShopExample, await QueryAsync(api, GraphQl(shop), ShopifyQueries.Shop, new()));
        Assert.Equal(1, (await app.TrafficAsync(shop))["serverErrors"]!.GetValue<int>());
    }

    /// <summary>Every field of <paramref name="example"/> is in <paramref name="actual"/> with the same JSON type (numbers are numbers, however written); array items are held to the example's first item.</summary>
    private static void AssertShape(string example, string actual)
    {
        using var expected = JsonDocument.Parse(example);
        using var answer = JsonDocument.Parse(actual);
        var problems = new List<string>();
        Compare(expected.RootElement, answer.RootElement, "$", problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + actual);
    }

    private static void Compare(JsonElement expected, JsonElement actual, string path, List<string> problems)
    {
        if (Kind(expected) != Kind(actual))
        {
            problems.Add($"{path}: expected {Kind(expected)}, got {Kind(actual)}");
            return;
        }

        if (expected.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in expected.EnumerateObject())
            {
                if (!actual.TryGetProperty(property.Name, out var value))
                {
                    problems.Add($"{path}.{property.Name}: missing");
                }
                else
                {
                    Compare(property.Value, value, $"{path}.{property.Name}", problems);
                }
            }
        }
        else if (expected.ValueKind == JsonValueKind.Array && expected.GetArrayLength() > 0)
        {
            if (actual.GetArrayLength() == 0)
            {
                problems.Add($"{path}: empty, the example has items");
            }

            var index = 0;
            foreach (var item in actual.EnumerateArray())
            {
                Compare(expected[0], item, $"{path}[{index++}]", problems);
            }
        }
    }

    private static string Kind(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? "boolean" : e.ValueKind.ToString();

    private string GraphQl(string shop) => $"{app.BaseUrl}{ShopifyApp.Simulator}/shops/{shop}/admin/api/{ShopifySimulator.ApiVersion}/graphql.json";

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private static async Task<string> QueryAsync(HttpClient api, string url, string query, JsonObject variables)
    {
        using var response = await api.PostAsync(url, Json(new JsonObject { ["query"] = query, ["variables"] = variables }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Shopify's install as the app drives it: authorize, sign in, Install, then the documented code exchange (client_id, client_secret, code).</summary>
    private async Task<string> InstallAsync(string shop)
    {
        var root = $"{app.BaseUrl}{ShopifyApp.Simulator}/shops/{shop}/admin/oauth";
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var authorize = QueryHelpers.AddQueryString($"{root}/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = ShopifySimulator.SimulatorClientId, ["scope"] = "read_orders,read_products,read_customers",
            ["redirect_uri"] = $"{app.BaseUrl}/link/oauth/callback/{ShopifyApp.Key}", ["state"] = "s1",
        });
        var signIn = await browser.GetStringAsync(authorize);
        var handle = RequestHandle().Match(signIn).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(handle), signIn);
        using var install = await browser.PostAsync($"{root}/authorize/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["request"] = handle, ["username"] = "user_good", ["password"] = "pass_good" }));
        Assert.Equal(HttpStatusCode.OK, install.StatusCode);
        using var back = await browser.PostAsync($"{root}/authorize/install", new FormUrlEncodedContent(new Dictionary<string, string> { ["request"] = handle }));
        Assert.Equal(HttpStatusCode.Found, back.StatusCode);
        var code = QueryHelpers.ParseQuery(back.Headers.Location!.Query)["code"].ToString();

        using var token = await new HttpClient().PostAsync($"{root}/access_token", Json(new JsonObject
        {
            ["client_id"] = ShopifySimulator.SimulatorClientId, ["client_secret"] = ShopifySimulator.SimulatorClientSecret, ["code"] = code,
        }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        return await token.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("name=\"request\" value=\"([^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex RequestHandle();
}
