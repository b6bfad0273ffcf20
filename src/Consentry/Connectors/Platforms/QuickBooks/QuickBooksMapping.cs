using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors.Data;

namespace Consentry.Connectors.Platforms.QuickBooks;

/// <summary>
/// QuickBooks Online entities (Intuit's JSON, minorversion 75) in Codat's accounting shapes. Pure: an entity in, a Codat
/// record out. Notable rules: an invoice QuickBooks voided (amounts zeroed, "Voided" private note) is Codat's <c>Void</c>;
/// <c>Active: false</c> is <c>Archived</c>; Intuit's <c>Revenue</c> classification is Codat's <c>Income</c>; an entity
/// Change Data Capture reports with <c>status: "Deleted"</c> carries <c>metadata.isDeleted: true</c>.
/// </summary>
public static class QuickBooksMapping
{
    /// <summary>Codat's data types and the QuickBooks entity each is read from.</summary>
    public static readonly IReadOnlyDictionary<string, string> Entities = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["company"] = "CompanyInfo",
        ["chartOfAccounts"] = "Account",
        ["customers"] = "Customer",
        ["suppliers"] = "Vendor",
        ["invoices"] = "Invoice",
        ["bills"] = "Bill",
        ["payments"] = "Payment",
    };

    private delegate JsonObject Map(JsonElement source);

    private static readonly Dictionary<string, Map> Mappers = new(StringComparer.Ordinal)
    {
        ["company"] = Company,
        ["chartOfAccounts"] = Account,
        ["customers"] = s => Contact(s, "customerName"),
        ["suppliers"] = s => Contact(s, "supplierName"),
        ["invoices"] = Invoice,
        ["bills"] = Bill,
        ["payments"] = Payment,
    };

    /// <summary>Maps one entity of <paramref name="dataType"/>; null when it has no Id (it is then not stored).</summary>
    public static MappedRecord? Apply(string dataType, JsonElement source, DateTime readAt)
    {
        var id = Text(source, "Id");
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var modified = Date(Nested(source, "MetaData"), "LastUpdatedTime");
        if (Text(source, "status") == "Deleted")
        {
            return Deleted(id, modified, readAt);
        }

        var json = Prune(Mappers[dataType](source));
        json["sourceModifiedDate"] = modified is { } m ? Iso(m) : null;
        json["modifiedDate"] = Iso(readAt);
        return new MappedRecord(id, modified, json.ToJsonString());
    }

    /// <summary>Drops what QuickBooks did not say (Codat's schemas type most fields as non-nullable), at every depth.</summary>
    private static JsonObject Prune(JsonObject node)
    {
        foreach (var name in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(name);
        }

        foreach (var child in node.Select(p => p.Value).ToList())
        {
            if (child is JsonObject o)
            {
                Prune(o);
            }
            else if (child is JsonArray a)
            {
                foreach (var item in a.OfType<JsonObject>())
                {
                    Prune(item);
                }
            }
        }

        return node;
    }

    /// <summary>
    /// An entity Change Data Capture reports as deleted: QuickBooks gives only its Id and deletion time, so the record
    /// says no more than that.
    /// </summary>
    public static MappedRecord Deleted(string id, DateTime? deletedAt, DateTime readAt) => new(id, deletedAt, new JsonObject
    {
        ["id"] = id,
        ["metadata"] = new JsonObject { ["isDeleted"] = true },
        ["sourceModifiedDate"] = deletedAt is { } d ? Iso(d) : null,
        ["modifiedDate"] = Iso(readAt),
    }.ToJsonString(), Tombstone: true);

    private static JsonObject Company(JsonElement s) => new()
    {
        ["companyName"] = Text(s, "CompanyName"),
        ["companyLegalName"] = Text(s, "LegalName"),
        ["accountingPlatformRef"] = Text(s, "Id"),
        ["addresses"] = new JsonArray([.. new[] { ("CompanyAddr", "Billing"), ("LegalAddr", "Billing") }
            .Where(a => Nested(s, a.Item1).ValueKind == JsonValueKind.Object).Take(1).Select(a => Address(Nested(s, a.Item1), a.Item2))]),
        ["phoneNumbers"] = Text(Nested(s, "PrimaryPhone"), "FreeFormNumber") is { } phone
            ? new JsonArray(new JsonObject { ["number"] = phone, ["type"] = "Primary" }) : new JsonArray(),
        ["webLinks"] = Text(Nested(s, "WebAddr"), "URI") is { } url ? new JsonArray(new JsonObject { ["type"] = "Website", ["url"] = url }) : new JsonArray(),
        ["financialYearStartDate"] = FinancialYearStart(Text(s, "FiscalYearStartMonth")),
        ["createdDate"] = Date(Nested(s, "MetaData"), "CreateTime") is { } created ? Iso(created) : null,
        ["sourceUrls"] = new JsonObject(),
    };

    private static JsonObject Account(JsonElement s)
    {
        var classification = Text(s, "Classification");
        var type = classification switch
        {
            "Asset" or "Expense" or "Liability" or "Equity" => classification,
            "Revenue" => "Income",
            _ => "Unknown",
        };
        return new JsonObject
        {
            ["id"] = Text(s, "Id"),
            ["nominalCode"] = Text(s, "AcctNum"),
            ["name"] = Text(s, "Name"),
            ["description"] = Text(s, "Description"),
            ["fullyQualifiedCategory"] = string.Join('.', new[] { type, Text(s, "AccountType"), Text(s, "AccountSubType") }.Where(p => !string.IsNullOrEmpty(p))),
            ["fullyQualifiedName"] = Text(s, "FullyQualifiedName"),
            ["currency"] = Text(Nested(s, "CurrencyRef"), "value"),
            ["currentBalance"] = Number(s, "CurrentBalance"),
            ["type"] = type,
            ["status"] = Active(s),
            ["isBankAccount"] = Text(s, "AccountType") == "Bank",
        };
    }

    /// <summary>Customers and vendors: the same shape at QuickBooks, differing only in the name field at Codat.</summary>
    private static JsonObject Contact(JsonElement s, string nameField)
    {
        var contact = $"{Text(s, "GivenName")} {Text(s, "FamilyName")}".Trim();
        var record = new JsonObject
        {
            ["id"] = Text(s, "Id"),
            [nameField] = Text(s, "DisplayName") ?? Text(s, "CompanyName"),
            ["contactName"] = contact.Length == 0 ? null : contact,
            ["emailAddress"] = Text(Nested(s, "PrimaryEmailAddr"), "Address"),
            ["phone"] = Text(Nested(s, "PrimaryPhone"), "FreeFormNumber"),
            ["addresses"] = Nested(s, "BillAddr").ValueKind == JsonValueKind.Object ? new JsonArray(Address(Nested(s, "BillAddr"), "Billing")) : new JsonArray(),
            ["taxNumber"] = Text(s, "PrimaryTaxIdentifier"),
            ["status"] = Active(s),
            ["defaultCurrency"] = Text(Nested(s, "CurrencyRef"), "value"),
        };
        if (nameField == "customerName")
        {
            record["contacts"] = new JsonArray();
        }

        return record;
    }

    private static JsonObject Invoice(JsonElement s)
    {
        var (total, balance, tax) = (Decimal(s, "TotalAmt"), Decimal(s, "Balance"), Decimal(Nested(s, "TxnTaxDetail"), "TotalTax") ?? 0m);
        var status = IsVoided(s) ? "Void"
            : balance is 0m && total > 0m ? "Paid"
            : balance is { } b && total is { } t && b < t ? "PartiallyPaid"
            : "Submitted";
        return new JsonObject
        {
            ["id"] = Text(s, "Id"),
            ["invoiceNumber"] = Text(s, "DocNumber"),
            ["customerRef"] = Ref(Nested(s, "CustomerRef"), "companyName"),
            ["issueDate"] = Day(Text(s, "TxnDate")),
            ["dueDate"] = Day(Text(s, "DueDate")),
            ["currency"] = Text(Nested(s, "CurrencyRef"), "value"),
            ["currencyRate"] = Number(s, "ExchangeRate"),
            ["lineItems"] = Lines(s, "SalesItemLineDetail"),
            ["subTotal"] = total is { } st ? st - tax : null,
            ["totalTaxAmount"] = tax,
            ["totalAmount"] = total ?? 0m,
            ["amountDue"] = balance ?? 0m,
            ["status"] = status,
            ["note"] = Text(s, "PrivateNote"),
            ["metadata"] = new JsonObject { ["isDeleted"] = false },
        };
    }

    private static JsonObject Bill(JsonElement s)
    {
        var (total, balance, tax) = (Decimal(s, "TotalAmt"), Decimal(s, "Balance"), Decimal(Nested(s, "TxnTaxDetail"), "TotalTax") ?? 0m);
        var status = IsVoided(s) ? "Void"
            : balance is 0m && total > 0m ? "Paid"
            : balance is { } b && total is { } t && b < t ? "PartiallyPaid"
            : "Open";
        return new JsonObject
        {
            ["id"] = Text(s, "Id"),
            ["reference"] = Text(s, "DocNumber"),
            ["supplierRef"] = Ref(Nested(s, "VendorRef"), "supplierName"),
            ["issueDate"] = Day(Text(s, "TxnDate")),
            ["dueDate"] = Day(Text(s, "DueDate")),
            ["currency"] = Text(Nested(s, "CurrencyRef"), "value"),
            ["currencyRate"] = Number(s, "ExchangeRate"),
            ["lineItems"] = Lines(s, "AccountBasedExpenseLineDetail"),
            ["status"] = status,
            ["subTotal"] = total is { } st ? st - tax : 0m,
            ["taxAmount"] = tax,
            ["totalAmount"] = total ?? 0m,
            ["amountDue"] = balance,
            ["note"] = Text(s, "PrivateNote"),
            ["metadata"] = new JsonObject { ["isDeleted"] = false },
        };
    }

    private static JsonObject Payment(JsonElement s)
    {
        var lines = new JsonArray();
        foreach (var line in Array(s, "Line"))
        {
            var amount = Decimal(line, "Amount") ?? 0m;
            lines.Add(new JsonObject
            {
                ["amount"] = amount,
                ["links"] = new JsonArray([.. Array(line, "LinkedTxn").Select(l => (JsonNode)new JsonObject
                {
                    ["type"] = Text(l, "TxnType") is "Invoice" or "CreditMemo" or "JournalEntry" ? Text(l, "TxnType") == "CreditMemo" ? "CreditNote" : Text(l, "TxnType") : "Unknown",
                    ["id"] = Text(l, "TxnId"),
                    ["amount"] = -amount,
                })]),
            });
        }

        return new JsonObject
        {
            ["id"] = Text(s, "Id"),
            ["customerRef"] = Ref(Nested(s, "CustomerRef"), "companyName"),
            ["accountRef"] = Text(Nested(s, "DepositToAccountRef"), "value") is { } account ? new JsonObject { ["id"] = account } : null,
            ["paymentMethodRef"] = Text(Nested(s, "PaymentMethodRef"), "value") is { } method ? new JsonObject { ["id"] = method } : null,
            ["totalAmount"] = Number(s, "TotalAmt"),
            ["currency"] = Text(Nested(s, "CurrencyRef"), "value"),
            ["currencyRate"] = Number(s, "ExchangeRate"),
            ["date"] = Day(Text(s, "TxnDate")),
            ["note"] = Text(s, "PrivateNote"),
            ["lines"] = lines,
            ["reference"] = Text(s, "PaymentRefNum"),
            ["metadata"] = new JsonObject { ["isDeleted"] = false },
        };
    }

    /// <summary>Item and expense lines; QuickBooks' subtotal, discount and group lines are not line items at Codat.</summary>
    private static JsonArray Lines(JsonElement s, string detailType)
    {
        var lines = new JsonArray();
        foreach (var line in Array(s, "Line").Where(l => Text(l, "DetailType") == detailType))
        {
            var detail = Nested(line, detailType);
            var amount = Decimal(line, "Amount") ?? 0m;
            var item = new JsonObject
            {
                ["description"] = Text(line, "Description"),
                ["unitAmount"] = Decimal(detail, "UnitPrice") ?? amount,
                ["quantity"] = Decimal(detail, "Qty") ?? 1m,
                ["subTotal"] = amount,
                ["totalAmount"] = amount,
            };
            if ((Text(Nested(detail, "ItemAccountRef"), "value") ?? Text(Nested(detail, "AccountRef"), "value")) is { } account)
            {
                item["accountRef"] = new JsonObject { ["id"] = account };
            }

            if (Text(Nested(detail, "ItemRef"), "value") is { } itemId)
            {
                item["itemRef"] = new JsonObject { ["id"] = itemId, ["name"] = Text(Nested(detail, "ItemRef"), "name") };
            }

            lines.Add(item);
        }

        return lines;
    }

    /// <summary>QuickBooks keeps a voided transaction with its amounts zeroed and "Voided" in its private note.</summary>
    public static bool IsVoided(JsonElement s) =>
        Text(s, "PrivateNote") is { } note && note.Contains("Voided", StringComparison.OrdinalIgnoreCase) && Decimal(s, "TotalAmt") is 0m;

    private static string Active(JsonElement s) =>
        s.TryGetProperty("Active", out var a) && a.ValueKind == JsonValueKind.False ? "Archived" : "Active";

    private static JsonObject? Ref(JsonElement r, string nameField) => Text(r, "value") is { } id
        ? new JsonObject { ["id"] = id, [nameField] = Text(r, "name") }
        : null;

    private static JsonObject Address(JsonElement a, string type) => new()
    {
        ["type"] = type,
        ["line1"] = Text(a, "Line1"),
        ["line2"] = Text(a, "Line2"),
        ["city"] = Text(a, "City"),
        ["region"] = Text(a, "CountrySubDivisionCode"),
        ["country"] = Text(a, "Country"),
        ["postalCode"] = Text(a, "PostalCode"),
    };

    private static string? FinancialYearStart(string? month) =>
        DateTime.TryParseExact($"2024 {month} 1", "yyyy MMMM d", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start)
            ? Iso(start)
            : null;

    private static string? Day(string? date) =>
        DateTime.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? Iso(d)
            : null;

    private static string Iso(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonElement Nested(JsonElement s, string name) =>
        s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out var v) ? v : default;

    private static List<JsonElement> Array(JsonElement s, string name) =>
        Nested(s, name) is { ValueKind: JsonValueKind.Array } a ? [.. a.EnumerateArray()] : [];

    private static string? Text(JsonElement s, string name) =>
        Nested(s, name) is var v && v.ValueKind switch
        {
            JsonValueKind.String => true,
            JsonValueKind.Number => true,
            _ => false,
        } ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText() : null;

    private static decimal? Decimal(JsonElement s, string name) =>
        Nested(s, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetDecimal(out var d) ? d : null;

    private static JsonValue? Number(JsonElement s, string name) => Decimal(s, name) is { } d ? JsonValue.Create(d) : null;

    /// <summary>Intuit's timestamps carry the company's offset (<c>-08:00</c>); Codat's are UTC.</summary>
    private static DateTime? Date(JsonElement s, string name) =>
        Text(s, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.UtcDateTime
            : null;
}
