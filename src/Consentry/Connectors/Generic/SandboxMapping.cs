using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors.Data;

namespace Consentry.Connectors.Generic;

/// <summary>
/// Turns the sandbox platforms' records into the shapes of Codat's Accounting, Banking and Commerce APIs. The catalogue names a
/// mapper per data type (<c>sandbox:invoices</c>). Pure: records in, Codat records out.
/// </summary>
public static class SandboxMapping
{
    private delegate JsonObject Map(JsonElement source, string modifiedDate);

    private static readonly Dictionary<string, (Map Map, string IdProperty)> Mappers = new(StringComparer.Ordinal)
    {
        ["sandbox:company"] = (AccountingCompany, "id"),
        ["sandbox:chartOfAccounts"] = (Account, "id"),
        ["sandbox:customers"] = (AccountingCustomer, "id"),
        ["sandbox:invoices"] = (Invoice, "id"),
        ["sandbox:banking-accounts"] = (BankAccount, "id"),
        ["sandbox:banking-accountBalances"] = (BankBalance, "accountId"),
        ["sandbox:banking-transactions"] = (BankTransaction, "id"),
        ["sandbox:commerce-companyInfo"] = (CommerceCompany, "id"),
        ["sandbox:commerce-customers"] = (CommerceCustomer, "id"),
        ["sandbox:commerce-products"] = (Product, "id"),
        ["sandbox:commerce-orders"] = (Order, "id"),
        ["sandbox:commerce-payments"] = (Payment, "id"),
    };

    public static bool Exists(string mapper) => Mappers.ContainsKey(mapper);

    /// <summary>Maps one record; null when it has no id (the read reports it rather than storing it).</summary>
    public static MappedRecord? Apply(string mapper, JsonElement source, DateTime readAt)
    {
        var (map, idProperty) = Mappers[mapper];
        var id = Text(source, idProperty);
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var modified = readAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var sourceModified = Date(source, "modifiedDate");
        var json = map(source, modified);
        return new MappedRecord(id, sourceModified, json.ToJsonString());
    }

    private static JsonObject AccountingCompany(JsonElement s, string modified) => new()
    {
        ["companyName"] = Text(s, "name"),
        ["companyLegalName"] = Text(s, "legalName"),
        ["accountingPlatformRef"] = Text(s, "id"),
        ["registrationNumber"] = Text(s, "registrationNumber"),
        ["taxNumber"] = Text(s, "taxNumber"),
        ["baseCurrency"] = Text(s, "baseCurrency"),
        ["financialYearStartDate"] = FinancialYearStart(s),
        ["addresses"] = Addresses(s, "Billing"),
        ["phoneNumbers"] = Phones(s),
        ["webLinks"] = WebLinks(s),
        ["createdDate"] = Text(s, "createdDate"),
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    private static JsonObject Account(JsonElement s, string modified)
    {
        var type = Text(s, "type");
        var name = Text(s, "name");
        return new JsonObject
        {
            ["id"] = Text(s, "id"),
            ["nominalCode"] = Text(s, "nominalCode"),
            ["name"] = name,
            ["description"] = name,
            ["fullyQualifiedCategory"] = type is null ? null : $"{type}.{name}",
            ["fullyQualifiedName"] = type is null ? name : $"{type}s.{name}",
            ["currency"] = Text(s, "currency"),
            ["currentBalance"] = Number(s, "currentBalance"),
            ["type"] = type,
            ["status"] = Text(s, "status"),
            ["isBankAccount"] = name?.Contains("Account", StringComparison.Ordinal) == true && type == "Asset",
            ["sourceModifiedDate"] = Text(s, "modifiedDate"),
            ["modifiedDate"] = modified,
        };
    }

    private static JsonObject AccountingCustomer(JsonElement s, string modified) => new()
    {
        ["id"] = Text(s, "id"),
        ["customerName"] = Text(s, "customerName"),
        ["contactName"] = Text(s, "contactName"),
        ["emailAddress"] = Text(s, "emailAddress"),
        ["phone"] = Text(s, "phone"),
        ["addresses"] = Addresses(s, "Billing"),
        ["status"] = Text(s, "status"),
        ["defaultCurrency"] = Text(s, "defaultCurrency"),
        ["contacts"] = new JsonArray(),
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    private static JsonObject Invoice(JsonElement s, string modified)
    {
        var lines = new JsonArray();
        if (s.TryGetProperty("lineItems", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var line in items.EnumerateArray())
            {
                lines.Add(new JsonObject
                {
                    ["description"] = Text(line, "description"),
                    ["unitAmount"] = Number(line, "unitAmount"),
                    ["quantity"] = Number(line, "quantity"),
                    ["subTotal"] = Number(line, "subTotal"),
                    ["accountRef"] = new JsonObject { ["id"] = Text(line, "accountId") },
                });
            }
        }

        var status = Text(s, "status");
        return new JsonObject
        {
            ["id"] = Text(s, "id"),
            ["invoiceNumber"] = Text(s, "invoiceNumber"),
            ["customerRef"] = new JsonObject { ["id"] = Text(s, "customerId") },
            ["issueDate"] = Text(s, "issueDate"),
            ["dueDate"] = Text(s, "dueDate"),
            ["currency"] = Text(s, "currency"),
            ["lineItems"] = lines,
            ["subTotal"] = Number(s, "subTotal"),
            ["totalTaxAmount"] = Number(s, "totalTaxAmount"),
            ["totalAmount"] = Number(s, "totalAmount"),
            ["amountDue"] = Number(s, "amountDue"),
            ["status"] = status,
            ["sourceModifiedDate"] = Text(s, "modifiedDate"),
            ["modifiedDate"] = modified,
        };
    }

    private static JsonObject BankAccount(JsonElement s, string modified)
    {
        var type = Text(s, "type");
        return new JsonObject
        {
            ["id"] = Text(s, "id"),
            ["name"] = Text(s, "name"),
            ["informalName"] = Text(s, "name"),
            ["type"] = type is "CreditCard" or "Credit" ? "Credit" : "Debit",
            ["currency"] = Text(s, "currency"),
            ["identifiers"] = new JsonObject
            {
                ["type"] = type,
                ["number"] = Text(s, "accountNumber"),
                ["bankCode"] = Text(s, "sortCode"),
                ["maskedAccountNumber"] = Text(s, "accountNumber") is { Length: > 4 } n ? $"****{n[^4..]}" : null,
            },
            ["institution"] = new JsonObject { ["id"] = "sbbk", ["name"] = "Consentry Sandbox Bank" },
            ["status"] = Text(s, "status"),
            ["sourceModifiedDate"] = Text(s, "modifiedDate"),
            ["modifiedDate"] = modified,
        };
    }

    private static JsonObject BankBalance(JsonElement s, string modified) => new()
    {
        ["accountId"] = Text(s, "accountId"),
        ["balance"] = new JsonObject
        {
            ["available"] = Number(s, "available"),
            ["current"] = Number(s, "current"),
            ["limit"] = Number(s, "creditLimit"),
        },
        ["currency"] = Text(s, "currency"),
        ["date"] = Text(s, "asOf"),
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    private static JsonObject BankTransaction(JsonElement s, string modified) => new()
    {
        ["id"] = Text(s, "id"),
        ["accountId"] = Text(s, "accountId"),
        ["description"] = Text(s, "description"),
        ["amount"] = Number(s, "amount"),
        ["currency"] = Text(s, "currency"),
        ["date"] = Text(s, "bookingDate"),
        ["merchantName"] = Text(s, "merchantName"),
        ["transactionCategoryRef"] = Text(s, "category") is { } category ? new JsonObject { ["id"] = category, ["name"] = category } : null,
        ["status"] = Text(s, "status"),
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    private static JsonObject CommerceCompany(JsonElement s, string modified) => new()
    {
        ["commerceCompanyName"] = Text(s, "name"),
        ["baseCurrency"] = Text(s, "currency"),
        ["addresses"] = new JsonArray(new JsonObject { ["type"] = "Billing", ["country"] = Text(s, "country") }),
        ["webLinks"] = WebLinks(s),
        ["sourceUrls"] = new JsonObject(),
        ["createdDate"] = Text(s, "createdDate"),
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    private static JsonObject CommerceCustomer(JsonElement s, string modified) => new()
    {
        ["id"] = Text(s, "id"),
        ["customerName"] = $"{Text(s, "firstName")} {Text(s, "lastName")}".Trim(),
        ["emailAddress"] = Text(s, "emailAddress"),
        ["phone"] = Text(s, "phone"),
        ["addresses"] = Addresses(s, "Billing"),
        ["createdDate"] = Text(s, "createdDate"),
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    private static JsonObject Product(JsonElement s, string modified) => new()
    {
        ["id"] = Text(s, "id"),
        ["name"] = Text(s, "name"),
        ["categorization"] = Text(s, "category"),
        ["isGiftCard"] = false,
        ["variants"] = new JsonArray(new JsonObject
        {
            ["id"] = Text(s, "id"),
            ["name"] = Text(s, "name"),
            ["sku"] = Text(s, "sku"),
            ["quantity"] = Number(s, "inventoryQuantity"),
            ["status"] = Text(s, "status") == "Archived" ? "Unavailable" : "Published",
            ["prices"] = new JsonArray(new JsonObject { ["currency"] = Text(s, "currency"), ["unitPrice"] = Number(s, "price") }),
            ["inventory"] = new JsonObject { ["totalQuantity"] = Number(s, "inventoryQuantity") },
        }),
        ["createdDate"] = Text(s, "createdDate"),
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    private static JsonObject Order(JsonElement s, string modified)
    {
        var lines = new JsonArray();
        if (s.TryGetProperty("orderLines", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var line in items.EnumerateArray())
            {
                lines.Add(new JsonObject
                {
                    ["id"] = $"{Text(s, "id")}-{++i}",
                    ["quantity"] = Number(line, "quantity"),
                    ["unitPrice"] = Number(line, "unitPrice"),
                    ["totalAmount"] = Number(line, "subTotal"),
                    ["productRef"] = new JsonObject { ["id"] = Text(line, "productId") },
                });
            }
        }

        return new JsonObject
        {
            ["id"] = Text(s, "id"),
            ["orderNumber"] = Text(s, "orderNumber"),
            ["currency"] = Text(s, "currency"),
            ["customerRef"] = new JsonObject { ["id"] = Text(s, "customerId") },
            ["orderLineItems"] = lines,
            ["subTotal"] = Number(s, "subTotal"),
            ["totalTaxAmount"] = Number(s, "totalTaxAmount"),
            ["totalAmount"] = Number(s, "totalAmount"),
            ["status"] = Text(s, "status"),
            ["createdDate"] = Text(s, "createdDate"),
            ["sourceModifiedDate"] = Text(s, "modifiedDate"),
            ["modifiedDate"] = modified,
        };
    }

    private static JsonObject Payment(JsonElement s, string modified) => new()
    {
        ["id"] = Text(s, "id"),
        ["amount"] = Number(s, "amount"),
        ["currency"] = Text(s, "currency"),
        ["paymentMethodRef"] = Text(s, "method") is { } method ? new JsonObject { ["id"] = method, ["name"] = method } : null,
        ["status"] = Text(s, "status"),
        ["orderRef"] = new JsonObject { ["id"] = Text(s, "orderId") },
        ["createdDate"] = Text(s, "paidDate"),
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    private static JsonArray Addresses(JsonElement s, string type)
    {
        if (!s.TryGetProperty("address", out var a) || a.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        return
        [
            new JsonObject
            {
                ["type"] = type,
                ["line1"] = Text(a, "line1"),
                ["line2"] = Text(a, "line2"),
                ["city"] = Text(a, "city"),
                ["region"] = Text(a, "region"),
                ["country"] = Text(a, "country"),
                ["postalCode"] = Text(a, "postalCode") ?? Text(a, "postcode"),
            },
        ];
    }

    private static JsonArray Phones(JsonElement s) =>
        Text(s, "phone") is { } phone ? [new JsonObject { ["number"] = phone, ["type"] = "Primary" }] : [];

    private static JsonArray WebLinks(JsonElement s) =>
        Text(s, "website") is { } url ? [new JsonObject { ["type"] = "Website", ["url"] = url }] : [];

    private static string? FinancialYearStart(JsonElement s) =>
        s.TryGetProperty("financialYearStartMonth", out var m) && m.TryGetInt32(out var month) && month is >= 1 and <= 12
            ? new DateTime(2024, month, 1, 0, 0, 0, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)
            : null;

    private static string? Text(JsonElement s, string name) =>
        s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;

    private static JsonValue? Number(JsonElement s, string name) =>
        s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? JsonValue.Create(v.GetDecimal())
            : null;

    private static DateTime? Date(JsonElement s, string name) =>
        Text(s, name) is { } text && DateTime.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value) ? value : null;
}
