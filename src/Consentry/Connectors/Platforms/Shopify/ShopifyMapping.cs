using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors.Data;

namespace Consentry.Connectors.Platforms.Shopify;

/// <summary>
/// Shopify's GraphQL Admin API records → Codat's commerce shapes (<c>Codat-Commerce.json</c>): the shop → CompanyInfo,
/// Customer → Customer, Product (with variants) → Product, Order (line items, refunds as negative lines, transactions as
/// payment references) → Order, and each order transaction → Payment (refunds negative). Ids are the numeric tail of
/// Shopify's global ids (<c>gid://shopify/Order/5001</c> → <c>5001</c>), as Codat shows Shopify's. Pure: JSON in, records out.
/// </summary>
public static class ShopifyMapping
{
    public const string CompanyInfo = "commerce-companyInfo";
    public const string Customers = "commerce-customers";
    public const string Products = "commerce-products";
    public const string Orders = "commerce-orders";
    public const string Payments = "commerce-payments";

    public static readonly IReadOnlyList<string> DataTypes = [CompanyInfo, Customers, Products, Orders, Payments];

    /// <summary>The Codat records of one Shopify node (an order's transactions are several payments); empty when it has no id.</summary>
    public static IReadOnlyList<MappedRecord> Apply(string dataType, JsonElement node, DateTime readAt)
    {
        if (node.ValueKind != JsonValueKind.Object || Id(node, "id") is not { } id)
        {
            return [];
        }

        var modified = Iso(readAt);
        if (dataType == Payments)
        {
            var currency = Text(node, "currencyCode");
            return [.. Items(node, "transactions").Where(t => Id(t, "id") is not null)
                .Select(t => Record(Id(t, "id")!, Date(t, "processedAt") ?? Date(t, "createdAt"), Payment(t, currency, id, modified)))];
        }

        var json = dataType switch
        {
            CompanyInfo => Company(node, modified),
            Customers => Customer(node, modified),
            Products => Product(node, modified),
            Orders => Order(node, modified),
            _ => null,
        };
        return json is null ? [] : [Record(id, Date(node, "updatedAt"), json)];
    }

    private static JsonObject Company(JsonElement s, string modified) => Clean(new JsonObject
    {
        ["companyName"] = Text(s, "name"),
        ["commercePlatformRef"] = Id(s, "id"),
        ["baseCurrency"] = Text(s, "currencyCode"),
        ["addresses"] = Object(s, "billingAddress") is { } a ? new JsonArray(Address(a, "Billing")) : new JsonArray(),
        ["phoneNumbers"] = Object(s, "billingAddress") is { } p && Text(p, "phone") is { } phone
            ? new JsonArray(new JsonObject { ["number"] = phone, ["type"] = "Primary" }) : new JsonArray(),
        ["webLinks"] = Object(s, "primaryDomain") is { } d && Text(d, "url") is { } url
            ? new JsonArray(new JsonObject { ["type"] = "Website", ["url"] = url }) : new JsonArray(),
        ["sourceUrls"] = Text(s, "myshopifyDomain") is { } domain ? new JsonObject { ["admin"] = $"https://{domain}/admin" } : new JsonObject(),
        ["createdDate"] = Text(s, "createdAt"),
        ["sourceModifiedDate"] = Text(s, "updatedAt"),
        ["modifiedDate"] = modified,
    });

    private static JsonObject Customer(JsonElement s, string modified)
    {
        var addresses = new JsonArray();
        foreach (var address in Items(s, "addresses"))
        {
            addresses.Add(Address(address, "Billing"));
        }

        var name = Text(s, "displayName") ?? $"{Text(s, "firstName")} {Text(s, "lastName")}".Trim();
        return Clean(new JsonObject
        {
            ["id"] = Id(s, "id"),
            ["customerName"] = name,
            ["emailAddress"] = Text(s, "email"),
            ["phone"] = Text(s, "phone"),
            ["addresses"] = addresses,
            ["note"] = Text(s, "note"),
            ["createdDate"] = Text(s, "createdAt"),
            ["sourceModifiedDate"] = Text(s, "updatedAt"),
            ["modifiedDate"] = modified,
        });
    }

    private static JsonObject Product(JsonElement s, string modified)
    {
        var published = Text(s, "status") == "ACTIVE";
        var variants = new JsonArray();
        foreach (var v in Items(s, "variants"))
        {
            variants.Add(Clean(new JsonObject
            {
                ["id"] = Id(v, "id"),
                ["name"] = Text(v, "title"),
                ["sku"] = Text(v, "sku"),
                ["barcode"] = Text(v, "barcode"),
                ["isTaxEnabled"] = Bool(v, "taxable"),
                ["prices"] = Decimal(v, "price") is { } price ? new JsonArray(new JsonObject { ["unitPrice"] = price }) : new JsonArray(),
                ["inventory"] = Decimal(v, "inventoryQuantity") is { } quantity ? new JsonObject { ["totalQuantity"] = quantity } : null,
                ["status"] = published ? "Published" : "Unpublished",
                ["createdDate"] = Text(v, "createdAt"),
                ["sourceModifiedDate"] = Text(v, "updatedAt"),
                ["modifiedDate"] = modified,
            }));
        }

        return Clean(new JsonObject
        {
            ["id"] = Id(s, "id"),
            ["name"] = Text(s, "title"),
            ["description"] = Text(s, "description"),
            ["categorization"] = Text(s, "productType") is { Length: > 0 } type ? type : null,
            ["isGiftCard"] = Bool(s, "isGiftCard") ?? false,
            // Codat's product has no dates of its own: they are its variants'.
            ["variants"] = variants,
        });
    }

    private static JsonObject Order(JsonElement s, string modified)
    {
        var currency = Text(s, "currencyCode");
        var lines = new JsonArray();
        foreach (var line in Items(s, "lineItems"))
        {
            var tax = Items(line, "taxLines").Sum(t => Amount(t, "priceSet") ?? 0m);
            var rate = Items(line, "taxLines").Select(t => Decimal(t, "ratePercentage")).FirstOrDefault(r => r is not null);
            lines.Add(Clean(new JsonObject
            {
                ["id"] = Id(line, "id"),
                ["quantity"] = Decimal(line, "quantity"),
                ["unitPrice"] = Amount(line, "originalUnitPriceSet"),
                ["totalAmount"] = Amount(line, "discountedTotalSet") is { } total ? total + tax : null,
                ["totalTaxAmount"] = tax,
                ["taxPercentage"] = rate,
                ["productRef"] = Object(line, "product") is { } p && Id(p, "id") is { } productId ? new JsonObject { ["id"] = productId } : null,
                ["productVariantRef"] = Object(line, "variant") is { } v && Id(v, "id") is { } variantId ? new JsonObject { ["id"] = variantId } : null,
            }));
        }

        // Refunded lines are negative lines, as Codat shows refunds on an order.
        foreach (var refund in Items(s, "refunds"))
        {
            foreach (var refunded in Items(refund, "refundLineItems"))
            {
                var lineId = Object(refunded, "lineItem") is { } l ? Id(l, "id") : null;
                lines.Add(Clean(new JsonObject
                {
                    ["id"] = $"{Id(refund, "id")}-{lineId}",
                    ["quantity"] = -(Decimal(refunded, "quantity") ?? 0m),
                    ["totalAmount"] = -(Amount(refunded, "subtotalSet") ?? 0m),
                }));
            }
        }

        var payments = new JsonArray();
        foreach (var transaction in Items(s, "transactions"))
        {
            payments.Add(Clean(new JsonObject
            {
                ["id"] = Id(transaction, "id"),
                ["amount"] = SignedAmount(transaction),
                ["currency"] = Money(transaction, "amountSet").Currency ?? currency,
                ["status"] = Status(transaction),
                ["paymentProvider"] = Text(transaction, "gateway"),
                ["createdDate"] = Text(transaction, "processedAt") ?? Text(transaction, "createdAt"),
            }));
        }

        var refundTotal = Amount(s, "totalRefundedSet");
        return Clean(new JsonObject
        {
            ["id"] = Id(s, "id"),
            ["orderNumber"] = Text(s, "name"),
            ["country"] = Object(s, "billingAddress") is { } b ? Text(b, "countryCodeV2") : null,
            ["currency"] = currency,
            ["createdDate"] = Text(s, "createdAt"),
            ["closedDate"] = Text(s, "closedAt"),
            ["totalAmount"] = Amount(s, "totalPriceSet"),
            ["totalRefund"] = refundTotal is { } r ? -r : null,
            ["totalTaxAmount"] = Amount(s, "totalTaxSet"),
            ["totalDiscount"] = Amount(s, "totalDiscountsSet"),
            ["totalGratuity"] = Amount(s, "totalTipReceivedSet"),
            ["orderLineItems"] = lines,
            ["payments"] = payments,
            ["customerRef"] = Object(s, "customer") is { } c && Id(c, "id") is { } customerId
                ? Clean(new JsonObject { ["id"] = customerId, ["name"] = Text(c, "displayName") }) : null,
            ["sourceModifiedDate"] = Text(s, "updatedAt"),
            ["modifiedDate"] = modified,
        });
    }

    private static JsonObject Payment(JsonElement t, string? orderCurrency, string orderId, string modified) => Clean(new JsonObject
    {
        ["id"] = Id(t, "id"),
        ["amount"] = SignedAmount(t),
        ["currency"] = Money(t, "amountSet").Currency ?? orderCurrency,
        ["paymentMethodRef"] = Text(t, "gateway") is { } gateway ? new JsonObject { ["id"] = gateway, ["name"] = gateway } : null,
        ["status"] = Status(t),
        ["paymentProvider"] = Text(t, "gateway"),
        ["supplementalData"] = new JsonObject { ["content"] = new JsonObject { ["order"] = new JsonObject { ["id"] = orderId, ["kind"] = Text(t, "kind") } } },
        ["createdDate"] = Text(t, "processedAt") ?? Text(t, "createdAt"),
        ["sourceModifiedDate"] = Text(t, "processedAt") ?? Text(t, "createdAt"),
        ["modifiedDate"] = modified,
    });

    /// <summary>Refunds are negative payments (Codat); sales, captures and authorizations positive.</summary>
    private static decimal? SignedAmount(JsonElement transaction) =>
        Amount(transaction, "amountSet") is { } amount ? Text(transaction, "kind") is "REFUND" or "CHANGE" ? -amount : amount : null;

    /// <summary>OrderTransaction kind and status → Codat's payment status.</summary>
    private static string Status(JsonElement t) => (Text(t, "kind"), Text(t, "status")) switch
    {
        (_, "FAILURE" or "ERROR") => "Failed",
        (_, "PENDING" or "AWAITING_RESPONSE") => "Pending",
        ("AUTHORIZATION", "SUCCESS") => "Authorized",
        ("VOID", "SUCCESS") => "Cancelled",
        (_, "SUCCESS") => "Paid",
        _ => "Unknown",
    };

    private static JsonObject Address(JsonElement a, string type) => Clean(new JsonObject
    {
        ["type"] = type,
        ["line1"] = Text(a, "address1"),
        ["line2"] = Text(a, "address2"),
        ["city"] = Text(a, "city"),
        ["region"] = Text(a, "province"),
        ["country"] = Text(a, "country") ?? Text(a, "countryCodeV2"),
        ["postalCode"] = Text(a, "zip"),
    });

    private static MappedRecord Record(string id, DateTime? sourceModified, JsonObject json) => new(id, sourceModified, json.ToJsonString());

    /// <summary>Codat leaves out what a platform does not say; a null would not be the string or number its schema asks for.</summary>
    private static JsonObject Clean(JsonObject json)
    {
        foreach (var key in json.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            json.Remove(key);
        }

        return json;
    }

    /// <summary>The numeric tail of a global id (<c>gid://shopify/Customer/7001</c> → <c>7001</c>); the id as it is otherwise.</summary>
    public static string? Id(JsonElement s, string name) =>
        Text(s, name) is { Length: > 0 } gid ? gid.StartsWith("gid://", StringComparison.Ordinal) ? gid.Split('?')[0].Split('/')[^1] : gid : null;

    private static IEnumerable<JsonElement> Items(JsonElement s, string name)
    {
        if (s.ValueKind != JsonValueKind.Object || !s.TryGetProperty(name, out var value))
        {
            return [];
        }

        // A list (refunds, transactions) or a connection's nodes/edges (lineItems, variants).
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("nodes", out var nodes))
        {
            value = nodes;
        }
        else if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("edges", out var edges) && edges.ValueKind == JsonValueKind.Array)
        {
            return [.. edges.EnumerateArray().Select(e => e.TryGetProperty("node", out var n) ? n : default).Where(n => n.ValueKind == JsonValueKind.Object)];
        }

        return value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : [];
    }

    private static JsonElement? Object(JsonElement s, string name) =>
        s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static string? Text(JsonElement s, string name) =>
        s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Bool(JsonElement s, string name) =>
        s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    /// <summary>Shopify's Decimal and Money scalars are strings; counts are numbers.</summary>
    private static decimal? Decimal(JsonElement s, string name)
    {
        if (s.ValueKind != JsonValueKind.Object || !s.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number ? v.GetDecimal()
            : v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d
            : null;
    }

    /// <summary>A MoneyBag's amount in the shop's currency (<c>{shopMoney: {amount, currencyCode}}</c>).</summary>
    private static decimal? Amount(JsonElement s, string name) => Money(s, name).Amount;

    private static (decimal? Amount, string? Currency) Money(JsonElement s, string name) =>
        Object(s, name) is { } bag && Object(bag, "shopMoney") is { } money ? (Decimal(money, "amount"), Text(money, "currencyCode")) : (null, null);

    private static DateTime? Date(JsonElement s, string name) =>
        DateTime.TryParse(Text(s, name), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) ? d : null;

    private static string Iso(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
