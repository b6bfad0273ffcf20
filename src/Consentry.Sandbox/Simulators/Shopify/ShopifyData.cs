using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Consentry.Sandbox.Simulators.Shopify;

/// <summary>
/// Deterministic shop data in the GraphQL Admin API's shapes (2025-07): the shop, customers, products with variants, and
/// orders with line items, refunds and transactions. The same shop name always gives the same records; a
/// <c>user_big</c> install gives a large shop. Ids are Shopify's global ids (<c>gid://shopify/Order/…</c>).
/// </summary>
internal static class ShopifyData
{
    private static readonly string[] FirstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Tim"];
    private static readonly string[] LastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Berners-Lee"];
    private static readonly string[] Sizes = ["Small", "Large"];
    private static readonly string[] Products = ["Linen Shirt", "Wool Scarf", "Canvas Tote", "Leather Belt", "Cotton Socks", "Denim Jacket", "Silk Tie", "Rain Hat"];

    public static (int Customers, int Products, int Orders) Size(bool big) => big ? (300, 120, 400) : (5, 4, 6);

    public static JsonObject Shop(string shop, DateTimeOffset origin) => new()
    {
        ["id"] = $"gid://shopify/Shop/{Seed(shop) % 90_000_000 + 10_000_000}",
        ["name"] = $"{char.ToUpperInvariant(shop[0])}{shop[1..]} Store",
        ["email"] = $"owner@{shop}.example",
        ["contactEmail"] = $"hello@{shop}.example",
        ["myshopifyDomain"] = $"{shop}.myshopify.com",
        ["primaryDomain"] = new JsonObject { ["url"] = $"https://{shop}.example", ["host"] = $"{shop}.example" },
        ["currencyCode"] = "GBP",
        ["ianaTimezone"] = "Europe/London",
        ["createdAt"] = Iso(origin.AddYears(-2)),
        ["updatedAt"] = Iso(origin.AddDays(-30)),
        ["billingAddress"] = Address(new Random(Seed(shop)), "1 High Street"),
    };

    public static List<JsonObject> Customers(string shop, int count, DateTimeOffset origin)
    {
        var random = new Random(Seed(shop + ":customers"));
        return [.. Enumerable.Range(1, count).Select(i =>
        {
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            var created = origin.AddDays(-200 + i % 150).AddMinutes(i);
            var address = Address(random, $"{i} Market Street");
            return new JsonObject
            {
                ["id"] = $"gid://shopify/Customer/{7_000_000 + i}",
                ["firstName"] = first,
                ["lastName"] = last,
                ["displayName"] = $"{first} {last}",
                ["email"] = $"{first}.{last}.{i}@example.com".ToLowerInvariant(),
                ["phone"] = $"+4420795{i % 10_000:0000}",
                ["note"] = i % 3 == 0 ? "Prefers email" : null,
                ["state"] = "ENABLED",
                ["tags"] = new JsonArray(),
                ["createdAt"] = Iso(created),
                ["updatedAt"] = Iso(created.AddDays(3)),
                ["defaultAddress"] = address.DeepClone(),
                ["addresses"] = new JsonArray(address),
            };
        })];
    }

    public static List<JsonObject> Catalogue(string shop, int count, DateTimeOffset origin)
    {
        var random = new Random(Seed(shop + ":products"));
        return [.. Enumerable.Range(1, count).Select(i =>
        {
            var title = Products[(i - 1) % Products.Length] + (i > Products.Length ? $" {i}" : "");
            var created = origin.AddDays(-300 + i % 200);
            var variants = new JsonArray([.. Sizes.Select((size, v) => (JsonNode)new JsonObject
            {
                ["id"] = $"gid://shopify/ProductVariant/{4_000_000 + (i * 10) + v}",
                ["title"] = size,
                ["sku"] = $"SKU-{i:000}-{size[0]}",
                ["barcode"] = null,
                ["price"] = Money(10 + (i * 3) + (v * 5)),
                ["inventoryQuantity"] = random.Next(0, 80),
                ["taxable"] = true,
                ["createdAt"] = Iso(created),
                ["updatedAt"] = Iso(created.AddDays(1)),
            })]);
            return new JsonObject
            {
                ["id"] = $"gid://shopify/Product/{8_000_000 + i}",
                ["title"] = title,
                ["description"] = $"A {title.ToLowerInvariant()} from the {shop} collection.",
                ["productType"] = i % 2 == 0 ? "Accessories" : "Clothing",
                ["vendor"] = $"{shop} supply",
                ["status"] = i % 7 == 0 ? "ARCHIVED" : "ACTIVE",
                ["isGiftCard"] = false,
                ["tags"] = new JsonArray(),
                ["createdAt"] = Iso(created),
                ["updatedAt"] = Iso(created.AddDays(1)),
                ["variants"] = variants,
            };
        })];
    }

    public static List<JsonObject> Orders(string shop, int count, IReadOnlyList<JsonObject> customers, IReadOnlyList<JsonObject> products, DateTimeOffset origin)
    {
        var random = new Random(Seed(shop + ":orders"));
        return [.. Enumerable.Range(1, count).Select(i => Order(i, random, customers[(i - 1) % customers.Count], products, origin))];
    }

    private static JsonObject Order(int i, Random random, JsonObject customer, IReadOnlyList<JsonObject> products, DateTimeOffset origin)
    {
        var id = 5_000_000 + i;
        var created = origin.AddDays(-90 + (i % 80)).AddMinutes(i * 7);
        var lines = new JsonArray();
        decimal subtotal = 0, tax = 0;
        for (var l = 0; l < 1 + (i % 3); l++)
        {
            var product = products[(i + l) % products.Count];
            var variant = product["variants"]![0]!;
            var quantity = 1 + random.Next(3);
            var unit = decimal.Parse(variant["price"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            var lineTax = Math.Round(unit * quantity * 0.2m, 2);
            subtotal += unit * quantity;
            tax += lineTax;
            lines.Add(new JsonObject
            {
                ["id"] = $"gid://shopify/LineItem/{(id * 10) + l}",
                ["name"] = $"{product["title"]} - {variant["title"]}",
                ["sku"] = variant["sku"]!.DeepClone(),
                ["quantity"] = quantity,
                ["originalUnitPriceSet"] = MoneyBag(unit),
                ["discountedTotalSet"] = MoneyBag(unit * quantity),
                ["taxLines"] = new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.2, ["ratePercentage"] = 20.0, ["priceSet"] = MoneyBag(lineTax) }),
                ["product"] = new JsonObject { ["id"] = product["id"]!.DeepClone() },
                ["variant"] = new JsonObject { ["id"] = variant["id"]!.DeepClone() },
            });
        }

        var total = subtotal + tax;
        var gateway = i % 2 == 0 ? "shopify_payments" : "paypal";
        var transactions = new JsonArray(Transaction(id * 10, "SALE", i % 9 == 0 ? "PENDING" : "SUCCESS", gateway, total, created, null));
        var refunds = new JsonArray();
        decimal refunded = 0;
        if (i % 4 == 0)
        {
            var line = lines[0]!;
            refunded = decimal.Parse(line["discountedTotalSet"]!["shopMoney"]!["amount"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            var at = created.AddDays(2);
            refunds.Add(new JsonObject
            {
                ["id"] = $"gid://shopify/Refund/{id * 10}",
                ["createdAt"] = Iso(at),
                ["note"] = "Returned",
                ["totalRefundedSet"] = MoneyBag(refunded),
                ["refundLineItems"] = new JsonArray(new JsonObject
                {
                    ["quantity"] = line["quantity"]!.DeepClone(),
                    ["subtotalSet"] = MoneyBag(refunded),
                    ["lineItem"] = new JsonObject { ["id"] = line["id"]!.DeepClone() },
                }),
            });
            transactions.Add(Transaction((id * 10) + 1, "REFUND", "SUCCESS", gateway, refunded, at, $"gid://shopify/OrderTransaction/{id * 10}"));
        }

        var pending = i % 9 == 0;
        return new JsonObject
        {
            ["id"] = $"gid://shopify/Order/{id}",
            ["name"] = $"#{1000 + i}",
            ["createdAt"] = Iso(created),
            ["processedAt"] = Iso(created),
            ["updatedAt"] = Iso(created.AddDays(refunds.Count > 0 ? 2 : 0).AddMinutes(5)),
            ["closedAt"] = pending ? null : Iso(created.AddDays(5)),
            ["cancelledAt"] = null,
            ["currencyCode"] = "GBP",
            ["displayFinancialStatus"] = pending ? "PENDING" : refunded > 0 ? "PARTIALLY_REFUNDED" : "PAID",
            ["displayFulfillmentStatus"] = "FULFILLED",
            ["customer"] = new JsonObject { ["id"] = customer["id"]!.DeepClone(), ["displayName"] = customer["displayName"]!.DeepClone() },
            ["billingAddress"] = customer["defaultAddress"]!.DeepClone(),
            ["subtotalPriceSet"] = MoneyBag(subtotal),
            ["totalTaxSet"] = MoneyBag(tax),
            ["totalDiscountsSet"] = MoneyBag(0),
            ["totalTipReceivedSet"] = MoneyBag(0),
            ["totalPriceSet"] = MoneyBag(total),
            ["totalRefundedSet"] = MoneyBag(refunded),
            ["lineItems"] = lines,
            ["refunds"] = refunds,
            ["transactions"] = transactions,
        };
    }

    private static JsonObject Transaction(long id, string kind, string status, string gateway, decimal amount, DateTimeOffset at, string? parent) => new()
    {
        ["id"] = $"gid://shopify/OrderTransaction/{id}",
        ["kind"] = kind,
        ["status"] = status,
        ["gateway"] = gateway,
        ["test"] = false,
        ["createdAt"] = Iso(at),
        ["processedAt"] = Iso(at),
        ["amountSet"] = MoneyBag(amount),
        ["parentTransaction"] = parent is null ? null : new JsonObject { ["id"] = parent },
    };

    private static JsonObject Address(Random random, string line1) => new()
    {
        ["address1"] = line1,
        ["address2"] = null,
        ["city"] = random.Next(2) == 0 ? "London" : "Leeds",
        ["province"] = "England",
        ["provinceCode"] = "ENG",
        ["country"] = "United Kingdom",
        ["countryCodeV2"] = "GB",
        ["zip"] = $"N{random.Next(1, 20)} {random.Next(1, 9)}AB",
        ["phone"] = null,
    };

    /// <summary>A MoneyBag: the amount in the shop's and the customer's (presentment) currency, amounts as decimal strings.</summary>
    public static JsonObject MoneyBag(decimal amount) => new()
    {
        ["shopMoney"] = new JsonObject { ["amount"] = Money(amount), ["currencyCode"] = "GBP" },
        ["presentmentMoney"] = new JsonObject { ["amount"] = Money(amount), ["currencyCode"] = "GBP" },
    };

    /// <summary>Shopify's Decimal/Money scalars are strings ("12.5" is "12.5", not a JSON number).</summary>
    public static string Money(decimal amount) => amount.ToString("0.0#", CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static int Seed(string value) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(value))) & int.MaxValue;
}
