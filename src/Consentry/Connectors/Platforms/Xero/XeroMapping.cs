using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Consentry.Connectors.Data;

namespace Consentry.Connectors.Platforms.Xero;

/// <summary>
/// Xero's Accounting API records in Codat's shapes. Pure: Xero's JSON in, <see cref="MappedRecord"/> out. Statuses go to
/// Codat's enums (VOIDED → Void; DELETED → Void with <c>metadata.isDeleted</c>; ARCHIVED contacts and accounts →
/// Archived), amounts stay decimals with the record's currency, and Xero's "/Date(1573755038314+0000)/" dates become
/// ISO 8601.
/// </summary>
public static partial class XeroMapping
{
    public static MappedRecord? Company(JsonElement org, DateTime readAt)
    {
        if (Text(org, "OrganisationID") is not { Length: > 0 } id)
        {
            return null;
        }

        var json = new JsonObject
        {
            ["companyName"] = Text(org, "Name"),
            ["companyLegalName"] = Text(org, "LegalName"),
            ["accountingPlatformRef"] = id,
            ["registrationNumber"] = Text(org, "RegistrationNumber"),
            ["taxNumber"] = Text(org, "TaxNumber"),
            ["baseCurrency"] = Text(org, "BaseCurrency"),
            ["financialYearStartDate"] = FinancialYearStart(org, readAt),
            ["ledgerLockDate"] = Iso(Date(org, "PeriodLockDate")),
            ["addresses"] = Addresses(org),
            ["phoneNumbers"] = new JsonArray([.. Items(org, "Phones").Where(p => PhoneNumber(p) is not null)
                .Select(p => (JsonNode)new JsonObject { ["number"] = PhoneNumber(p), ["type"] = PhoneType(Text(p, "PhoneType")) })]),
            ["webLinks"] = new JsonArray([.. Items(org, "ExternalLinks").Where(l => Text(l, "Url") is not null)
                .Select(l => (JsonNode)new JsonObject { ["type"] = Text(l, "LinkType") == "Website" ? "Website" : "Social", ["url"] = Text(l, "Url") })]),
            ["sourceUrls"] = new JsonObject(),
            ["createdDate"] = Iso(Date(org, "CreatedDateUTC")),
            ["modifiedDate"] = Iso(readAt),
        };
        return new MappedRecord(id, null, WithoutNullDates(json).ToJsonString());
    }

    public static MappedRecord? Account(JsonElement a, DateTime readAt)
    {
        if (Text(a, "AccountID") is not { Length: > 0 } id)
        {
            return null;
        }

        var type = Text(a, "Class") switch
        {
            "ASSET" => "Asset",
            "EQUITY" => "Equity",
            "EXPENSE" => "Expense",
            "LIABILITY" => "Liability",
            "REVENUE" => "Income",
            _ => "Unknown",
        };
        var name = Text(a, "Name");
        var xeroType = Text(a, "Type");
        var status = Text(a, "Status");
        var json = new JsonObject
        {
            ["id"] = id,
            ["nominalCode"] = Text(a, "Code"),
            ["name"] = name,
            ["description"] = Text(a, "Description") ?? name,
            ["fullyQualifiedCategory"] = xeroType is null ? type : $"{type}.{Title(xeroType)}",
            ["fullyQualifiedName"] = $"{type}.{(xeroType is null ? "" : Title(xeroType) + ".")}{name}",
            ["type"] = type,
            ["status"] = status switch { "ACTIVE" => "Active", "ARCHIVED" or "DELETED" => "Archived", _ => "Unknown" },
            ["isBankAccount"] = xeroType == "BANK",
            ["validDatatypeLinks"] = new JsonArray(),
            ["metadata"] = Metadata(status == "DELETED"),
        };
        if (Text(a, "CurrencyCode") is { } currency)
        {
            json["currency"] = currency;
        }

        return Stamped(id, a, json, readAt);
    }

    /// <summary>A contact as a customer (<paramref name="asSupplier"/> false) or a supplier: Xero keeps both in Contacts.</summary>
    public static MappedRecord? Contact(JsonElement c, DateTime readAt, bool asSupplier)
    {
        if (Text(c, "ContactID") is not { Length: > 0 } id)
        {
            return null;
        }

        var person = $"{Text(c, "FirstName")} {Text(c, "LastName")}".Trim();
        var json = new JsonObject
        {
            ["id"] = id,
            [asSupplier ? "supplierName" : "customerName"] = Text(c, "Name"),
            ["contactName"] = person.Length == 0 ? null : person,
            ["emailAddress"] = Text(c, "EmailAddress"),
            ["phone"] = Items(c, "Phones").Select(PhoneNumber).FirstOrDefault(p => p is not null),
            ["addresses"] = Addresses(c),
            ["registrationNumber"] = Text(c, "CompanyNumber"),
            ["taxNumber"] = Text(c, "TaxNumber"),
            ["status"] = Text(c, "ContactStatus") switch { "ACTIVE" => "Active", "ARCHIVED" or "GDPRREQUEST" => "Archived", _ => "Unknown" },
            ["metadata"] = Metadata(false),
        };
        if (Text(c, "DefaultCurrency") is { } currency)
        {
            json["defaultCurrency"] = currency;
        }

        if (!asSupplier)
        {
            json["contacts"] = new JsonArray();
        }

        return Stamped(id, c, json, readAt);
    }

    /// <summary>An ACCREC invoice as Codat's invoice, or an ACCPAY one as Codat's bill.</summary>
    public static MappedRecord? Invoice(JsonElement i, DateTime readAt)
    {
        if (Text(i, "InvoiceID") is not { Length: > 0 } id)
        {
            return null;
        }

        var bill = Text(i, "Type") == "ACCPAY";
        var xeroStatus = Text(i, "Status");
        var partlyPaid = (Number(i, "AmountPaid") ?? 0) > 0;
        var status = (xeroStatus, bill) switch
        {
            ("DRAFT", _) => "Draft",
            ("SUBMITTED", false) => "Submitted",
            ("SUBMITTED", true) => "Draft",
            ("AUTHORISED", false) => partlyPaid ? "PartiallyPaid" : "Submitted",
            ("AUTHORISED", true) => partlyPaid ? "PartiallyPaid" : "Open",
            ("PAID", _) => "Paid",
            ("VOIDED" or "DELETED", _) => "Void",
            _ => "Unknown",
        };
        var inclusive = Text(i, "LineAmountTypes") == "Inclusive";
        var lines = new JsonArray();
        foreach (var line in Items(i, "LineItems"))
        {
            var amount = Number(line, "LineAmount") ?? 0;
            var tax = Number(line, "TaxAmount") ?? 0;
            var subTotal = inclusive ? amount - tax : amount;
            lines.Add(new JsonObject
            {
                ["description"] = Text(line, "Description"),
                ["unitAmount"] = Number(line, "UnitAmount") ?? 0,
                ["quantity"] = Number(line, "Quantity") ?? 0,
                ["discountAmount"] = Number(line, "DiscountAmount"),
                ["subTotal"] = subTotal,
                ["taxAmount"] = tax,
                ["totalAmount"] = subTotal + tax,
                ["accountRef"] = new JsonObject { ["id"] = Text(line, "AccountID") ?? Text(line, "AccountCode") },
            });
        }

        var contact = i.TryGetProperty("Contact", out var c) ? c : default;
        var json = new JsonObject { ["id"] = id };
        if (bill)
        {
            json["reference"] = Text(i, "InvoiceNumber") is { Length: > 0 } number ? number : Text(i, "Reference");
            json["supplierRef"] = new JsonObject { ["id"] = Text(contact, "ContactID"), ["supplierName"] = Text(contact, "Name") };
        }
        else
        {
            json["invoiceNumber"] = Text(i, "InvoiceNumber");
            json["customerRef"] = new JsonObject { ["id"] = Text(contact, "ContactID"), ["companyName"] = Text(contact, "Name") };
            json["paidOnDate"] = Iso(Date(i, "FullyPaidOnDate"));
            json["totalDiscount"] = Number(i, "TotalDiscount") ?? 0;
            json["note"] = Text(i, "Reference");
        }

        json["issueDate"] = Iso(Date(i, "Date"));
        json["dueDate"] = Iso(Date(i, "DueDate"));
        json["currency"] = Text(i, "CurrencyCode");
        json["currencyRate"] = Number(i, "CurrencyRate");
        json["lineItems"] = lines;
        json["subTotal"] = Number(i, "SubTotal") ?? 0;
        json[bill ? "taxAmount" : "totalTaxAmount"] = Number(i, "TotalTax") ?? 0;
        json["totalAmount"] = Number(i, "Total") ?? 0;
        json["amountDue"] = Number(i, "AmountDue") ?? 0;
        json["status"] = status;
        json["metadata"] = Metadata(xeroStatus == "DELETED");
        return Stamped(id, i, json, readAt);
    }

    /// <summary>A payment received against an invoice: one line linking it to the invoice it pays.</summary>
    public static MappedRecord? Payment(JsonElement p, DateTime readAt)
    {
        if (Text(p, "PaymentID") is not { Length: > 0 } id)
        {
            return null;
        }

        var invoice = p.TryGetProperty("Invoice", out var inv) ? inv : default;
        var contact = invoice.ValueKind == JsonValueKind.Object && invoice.TryGetProperty("Contact", out var c) ? c : default;
        var account = p.TryGetProperty("Account", out var a) ? a : default;
        var amount = Number(p, "Amount") ?? 0;
        var link = new JsonObject { ["type"] = "Invoice", ["id"] = Text(invoice, "InvoiceID"), ["amount"] = -amount };
        var json = new JsonObject
        {
            ["id"] = id,
            ["customerRef"] = Text(contact, "ContactID") is { } customer ? new JsonObject { ["id"] = customer, ["companyName"] = Text(contact, "Name") } : null,
            ["accountRef"] = new JsonObject { ["id"] = Text(account, "AccountID") },
            ["totalAmount"] = amount,
            ["currency"] = Text(invoice, "CurrencyCode"),
            ["currencyRate"] = Number(p, "CurrencyRate"),
            ["date"] = Iso(Date(p, "Date")),
            ["reference"] = Text(p, "Reference"),
            ["lines"] = new JsonArray(new JsonObject { ["amount"] = amount, ["links"] = new JsonArray(link), ["allocatedOnDate"] = Iso(Date(p, "Date")) }),
            ["metadata"] = Metadata(Text(p, "Status") == "DELETED"),
        };
        return Stamped(id, p, json, readAt);
    }

    /// <summary>
    /// Xero's dates: "/Date(1573755038314+0000)/" (milliseconds since 1970 UTC, then the organisation's offset, which the
    /// milliseconds already account for) or, in some answers, ISO 8601 without a zone (UTC).
    /// </summary>
    public static DateTime? ParseDate(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (MicrosoftDate().Match(text) is { Success: true } m && long.TryParse(m.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
        }

        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var iso) ? iso : null;
    }

    [GeneratedRegex(@"^/Date\((-?\d+)([+-]\d{4})?\)/$", RegexOptions.CultureInvariant)]
    private static partial Regex MicrosoftDate();

    private static MappedRecord Stamped(string id, JsonElement source, JsonObject json, DateTime readAt)
    {
        var modified = Date(source, "UpdatedDateUTC");
        json["sourceModifiedDate"] = Iso(modified);
        json["modifiedDate"] = Iso(readAt);
        return new MappedRecord(id, modified, WithoutNullDates(json).ToJsonString());
    }

    /// <summary>Codat's dates are strings, never null: a date Xero did not give is left out (at any depth).</summary>
    private static JsonObject WithoutNullDates(JsonObject json)
    {
        foreach (var name in json.Where(p => p.Value is null && p.Key.EndsWith("Date", StringComparison.Ordinal)).Select(p => p.Key).ToList())
        {
            json.Remove(name);
        }

        foreach (var child in json.Select(p => p.Value).ToList())
        {
            switch (child)
            {
                case JsonObject o:
                    WithoutNullDates(o);
                    break;
                case JsonArray a:
                    foreach (var item in a.OfType<JsonObject>())
                    {
                        WithoutNullDates(item);
                    }

                    break;
            }
        }

        return json;
    }

    private static JsonObject Metadata(bool deleted) => new() { ["isDeleted"] = deleted };

    private static JsonArray Addresses(JsonElement s) => new([.. Items(s, "Addresses")
        .Where(a => Text(a, "AddressLine1") is not null || Text(a, "City") is not null)
        .Select(a => (JsonNode)new JsonObject
        {
            // Xero's POBOX is the postal (billing) address, STREET the physical one.
            ["type"] = Text(a, "AddressType") == "POBOX" ? "Billing" : "Delivery",
            ["line1"] = Text(a, "AddressLine1"),
            ["line2"] = Text(a, "AddressLine2"),
            ["city"] = Text(a, "City"),
            ["region"] = Text(a, "Region"),
            ["country"] = Text(a, "Country"),
            ["postalCode"] = Text(a, "PostalCode"),
        })]);

    private static string? PhoneNumber(JsonElement p) => Text(p, "PhoneNumber") is { Length: > 0 } number
        ? string.Join(' ', new[] { Text(p, "PhoneCountryCode"), Text(p, "PhoneAreaCode"), number }.Where(x => !string.IsNullOrEmpty(x)))
        : null;

    private static string PhoneType(string? xero) => xero switch
    {
        "MOBILE" => "Mobile",
        "FAX" => "Fax",
        "DEFAULT" or "OFFICE" => "Primary",
        "DDI" => "Landline",
        _ => "Unknown",
    };

    private static string? FinancialYearStart(JsonElement org, DateTime readAt)
    {
        if (!org.TryGetProperty("FinancialYearEndDay", out var d) || !d.TryGetInt32(out var day)
            || !org.TryGetProperty("FinancialYearEndMonth", out var m) || !m.TryGetInt32(out var month) || month is < 1 or > 12)
        {
            return null;
        }

        // The day after the last year end before the read.
        var end = new DateTime(readAt.Year, month, Math.Clamp(day, 1, DateTime.DaysInMonth(readAt.Year, month)), 0, 0, 0, DateTimeKind.Utc);
        return Iso((end >= readAt.Date ? end.AddYears(-1) : end).AddDays(1));
    }

    private static string Title(string upper) => upper.Length == 0 ? upper : upper[..1] + upper[1..].ToLowerInvariant();

    private static string? Iso(DateTime? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture);

    private static DateTime? Date(JsonElement s, string name) => ParseDate(Text(s, name));

    private static JsonElement[] Items(JsonElement s, string name) =>
        s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray()] : [];

    private static string? Text(JsonElement s, string name) =>
        s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static decimal? Number(JsonElement s, string name) =>
        s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;
}
