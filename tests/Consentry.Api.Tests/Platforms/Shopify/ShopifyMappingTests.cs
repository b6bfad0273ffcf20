using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors.Platforms.Shopify;

namespace Consentry.Api.Tests.Platforms.Shopify;

/// <summary>
/// Shopify's records mapped to Codat's commerce shapes, every record validated against <c>Codat-Commerce.json</c>, and
/// the callback signature held to Shopify's published example.
/// </summary>
public sealed class ShopifyMappingTests
{
    /// <summary>
    /// Shopify's documented example of a signed redirect (shopify.dev, "Verify a request": query
    /// <c>code=0907a61c0c8d55e99db179b68161bc00&amp;hmac=4712bf92…&amp;shop=some-shop.myshopify.com&amp;timestamp=1337178173</c>,
    /// secret <c>hush</c>).
    /// </summary>
    [Fact]
    public void Sign_MatchesShopifysPublishedExample()
    {
        var query = new Dictionary<string, string>
        {
            ["code"] = "0907a61c0c8d55e99db179b68161bc00",
            ["hmac"] = "4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20",
            ["shop"] = "some-shop.myshopify.com",
            ["timestamp"] = "1337178173",
        };
        Assert.Equal(query["hmac"], ShopifyShop.Sign(query, "hush"));
        Assert.Null(ShopifyShop.Reject(query, "hush", "some-shop", DateTimeOffset.FromUnixTimeSeconds(1337178173 + 60)));
        Assert.NotNull(ShopifyShop.Reject(query, "not-hush", "some-shop", DateTimeOffset.FromUnixTimeSeconds(1337178173 + 60)));
    }

    /// <summary>An order as the GraphQL Admin API answers the connector's query (field names from shopify.dev's Order object).</summary>
    private const string Order = """
        {"id":"gid://shopify/Order/148977776","name":"#1001","createdAt":"2025-03-01T10:00:00Z","updatedAt":"2025-03-03T10:00:00Z",
         "processedAt":"2025-03-01T10:00:00Z","closedAt":null,"cancelledAt":null,"currencyCode":"USD","displayFinancialStatus":"PARTIALLY_REFUNDED",
         "customer":{"id":"gid://shopify/Customer/544365967","displayName":"Bob Norman"},"billingAddress":{"countryCodeV2":"US"},
         "subtotalPriceSet":{"shopMoney":{"amount":"199.0","currencyCode":"USD"}},"totalPriceSet":{"shopMoney":{"amount":"238.8","currencyCode":"USD"}},
         "totalTaxSet":{"shopMoney":{"amount":"39.8","currencyCode":"USD"}},"totalDiscountsSet":{"shopMoney":{"amount":"0.0","currencyCode":"USD"}},
         "totalRefundedSet":{"shopMoney":{"amount":"59.7","currencyCode":"USD"}},"totalTipReceivedSet":{"shopMoney":{"amount":"0.0","currencyCode":"USD"}},
         "lineItems":{"nodes":[{"id":"gid://shopify/LineItem/466157049","name":"IPod Nano - 8gb","sku":"IPOD2008GREEN","quantity":1,
           "originalUnitPriceSet":{"shopMoney":{"amount":"199.0","currencyCode":"USD"}},"discountedTotalSet":{"shopMoney":{"amount":"199.0","currencyCode":"USD"}},
           "taxLines":[{"ratePercentage":20.0,"priceSet":{"shopMoney":{"amount":"39.8","currencyCode":"USD"}}}],
           "product":{"id":"gid://shopify/Product/632910392"},"variant":{"id":"gid://shopify/ProductVariant/39072856"}}]},
         "refunds":[{"id":"gid://shopify/Refund/509562969","createdAt":"2025-03-03T10:00:00Z","totalRefundedSet":{"shopMoney":{"amount":"59.7","currencyCode":"USD"}},
           "refundLineItems":{"nodes":[{"quantity":1,"lineItem":{"id":"gid://shopify/LineItem/466157049"},"subtotalSet":{"shopMoney":{"amount":"59.7","currencyCode":"USD"}}}]}}],
         "transactions":[
           {"id":"gid://shopify/OrderTransaction/389404469","kind":"SALE","status":"SUCCESS","gateway":"bogus","createdAt":"2025-03-01T10:00:00Z","processedAt":"2025-03-01T10:00:00Z","amountSet":{"shopMoney":{"amount":"238.8","currencyCode":"USD"}}},
           {"id":"gid://shopify/OrderTransaction/801038806","kind":"REFUND","status":"SUCCESS","gateway":"bogus","createdAt":"2025-03-03T10:00:00Z","processedAt":"2025-03-03T10:00:00Z","amountSet":{"shopMoney":{"amount":"59.7","currencyCode":"USD"}}}]}
        """;

    [Fact]
    public void Order_MapsToCodatsOrder_WithRefundsNegative_AndItsTransactionsToPayments()
    {
        var order = Map(ShopifyMapping.Orders, Order).Single();
        Assert.Empty(ShopifyApp.ValidateCommerce(order, "Order"));
        Assert.Equal("148977776", order["id"]!.GetValue<string>());
        Assert.Equal(-59.7m, order["totalRefund"]!.GetValue<decimal>());
        Assert.Equal("544365967", order["customerRef"]!["id"]!.GetValue<string>());
        Assert.Contains(order["orderLineItems"]!.AsArray(), l => l!["quantity"]!.GetValue<decimal>() == -1);

        var payments = Map(ShopifyMapping.Payments, Order);
        Assert.Equal(2, payments.Count);
        Assert.All(payments, p => Assert.Empty(ShopifyApp.ValidateCommerce(p, "Payment")));
        Assert.Equal(-59.7m, payments.Single(p => p["id"]!.GetValue<string>() == "801038806")["amount"]!.GetValue<decimal>());
        Assert.All(payments, p => Assert.Equal("Paid", p["status"]!.GetValue<string>()));
    }

    [Fact]
    public void ShopCustomerAndProduct_MapToCodatsShapes()
    {
        var shop = Map(ShopifyMapping.CompanyInfo, """
            {"id":"gid://shopify/Shop/548380009","name":"John Smith Test Store","email":"j.smith@example.com","myshopifyDomain":"jsmith.myshopify.com",
             "currencyCode":"USD","createdAt":"2024-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z","primaryDomain":{"url":"https://jsmith.example","host":"jsmith.example"},
             "billingAddress":{"address1":"1 Rue des Carrieres","address2":"Suite 1234","city":"Montreal","province":"Quebec","country":"Canada","countryCodeV2":"CA","zip":"K2P 1L4","phone":"555-555-5555"}}
            """).Single();
        Assert.Empty(ShopifyApp.ValidateCommerce(shop, "CompanyInfo"));
        Assert.Equal("John Smith Test Store", shop["companyName"]!.GetValue<string>());

        var customer = Map(ShopifyMapping.Customers, """
            {"id":"gid://shopify/Customer/207119551","displayName":"Bob Norman","firstName":"Bob","lastName":"Norman","email":"bob.norman@mail.example.com",
             "phone":null,"note":null,"state":"ENABLED","createdAt":"2024-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z",
             "addresses":[{"address1":"Chestnut Street 92","address2":"","city":"Louisville","province":"Kentucky","country":"United States","countryCodeV2":"US","zip":"40202"}]}
            """).Single();
        Assert.Empty(ShopifyApp.ValidateCommerce(customer, "Customer"));
        Assert.Equal("207119551", customer["id"]!.GetValue<string>());

        var product = Map(ShopifyMapping.Products, """
            {"id":"gid://shopify/Product/632910392","title":"IPod Nano - 8GB","description":"It's the small iPod","productType":"Cult Products","vendor":"Apple",
             "status":"ACTIVE","isGiftCard":false,"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z",
             "variants":{"nodes":[{"id":"gid://shopify/ProductVariant/808950810","title":"Pink","sku":"IPOD2008PINK","barcode":"1234_pink","price":"199.00",
               "inventoryQuantity":10,"taxable":true,"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z"}]}}
            """).Single();
        Assert.Empty(ShopifyApp.ValidateCommerce(product, "Product"));
        Assert.Equal(199m, product["variants"]![0]!["prices"]![0]!["unitPrice"]!.GetValue<decimal>());
    }

    private static List<JsonNode> Map(string dataType, string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. ShopifyMapping.Apply(dataType, document.RootElement, new DateTime(2025, 4, 1, 0, 0, 0, DateTimeKind.Utc)).Select(r => JsonNode.Parse(r.Json)!)];
    }
}
