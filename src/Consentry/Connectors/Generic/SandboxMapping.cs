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
        ["sandbox:banking-transactionCategories"] = (TransactionCategory, "id"),
        ["sandbox:commerce-companyInfo"] = (CommerceCompany, "id"),
        ["sandbox:commerce-customers"] = (CommerceCustomer, "id"),
        ["sandbox:commerce-products"] = (Product, "id"),
        ["sandbox:commerce-orders"] = (Order, "id"),
        ["sandbox:commerce-payments"] = (Payment, "id"),
        ["sandbox:commerce-locations"] = (Location, "id"),
        ["sandbox:commerce-paymentMethods"] = (PaymentMethod, "id"),
        ["sandbox:commerce-productCategories"] = (ProductCategory, "id"),
        ["sandbox:commerce-taxComponents"] = (TaxComponent, "id"),
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
        if (mapper == "sandbox:invoices")
        {
            // The bulk of most reads: written straight to UTF-8, without building a JsonObject first.
            return new MappedRecord(id, sourceModified, InvoiceJson(source, modified));
        }

        var json = map(source, modified);
        // Codat's banking and commerce fields are mostly not nullable: what the platform did not say is left out.
        if (!mapper.StartsWith("sandbox:banking-", StringComparison.Ordinal) && !mapper.StartsWith("sandbox:commerce-", StringComparison.Ordinal))
        {
            return new MappedRecord(id, sourceModified, json.ToJsonString());
        }

        WithoutNulls(json);
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
        // Codat's company information has no modified dates (the sync engine keeps its own).
        ["createdDate"] = Text(s, "createdDate"),
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

    internal static JsonObject Invoice(JsonElement s, string modified)
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

    /// <summary>
    /// <see cref="Invoice"/> written with a <see cref="Utf8JsonWriter"/>: the same properties in the same order with the
    /// same encoder, so the same text (<c>SandboxMappingTests</c> compares the two).
    /// </summary>
    internal static string InvoiceJson(JsonElement s, string modified)
    {
        // One buffer and writer per thread, reset for each invoice: a new 1 KiB buffer grown twice and a writer per
        // record were most of the mapping's allocations (and the runtime's zeroing of them) in a 50,000-record read.
        var buffer = t_buffer ??= new System.Buffers.ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer);
        w.Reset(buffer);
        w.WriteStartObject();
        w.WriteString("id", Text(s, "id"));
        w.WriteString("invoiceNumber", Text(s, "invoiceNumber"));
        w.WriteStartObject("customerRef");
        w.WriteString("id", Text(s, "customerId"));
        w.WriteEndObject();
        w.WriteString("issueDate", Text(s, "issueDate"));
        w.WriteString("dueDate", Text(s, "dueDate"));
        w.WriteString("currency", Text(s, "currency"));
        w.WriteStartArray("lineItems");
        if (s.TryGetProperty("lineItems", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var line in items.EnumerateArray())
            {
                w.WriteStartObject();
                w.WriteString("description", Text(line, "description"));
                WriteNumber(w, "unitAmount", line, "unitAmount");
                WriteNumber(w, "quantity", line, "quantity");
                WriteNumber(w, "subTotal", line, "subTotal");
                w.WriteStartObject("accountRef");
                w.WriteString("id", Text(line, "accountId"));
                w.WriteEndObject();
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        WriteNumber(w, "subTotal", s, "subTotal");
        WriteNumber(w, "totalTaxAmount", s, "totalTaxAmount");
        WriteNumber(w, "totalAmount", s, "totalAmount");
        WriteNumber(w, "amountDue", s, "amountDue");
        w.WriteString("status", Text(s, "status"));
        w.WriteString("sourceModifiedDate", Text(s, "modifiedDate"));
        w.WriteString("modifiedDate", modified);
        w.WriteEndObject();
        w.Flush();

        var json = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity > 64 * 1024)
        {
            // An unusually large invoice: its buffer is not kept for the thread's life.
            (t_buffer, t_writer) = (null, null);
        }

        return json;
    }

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>As <see cref="Number"/> writes it: the decimal, or null.</summary>
    private static void WriteNumber(Utf8JsonWriter w, string property, JsonElement s, string name)
    {
        if (s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number)
        {
            w.WriteNumber(property, v.GetDecimal());
        }
        else
        {
            w.WriteNull(property);
        }
    }

    /// <summary>
    /// Codat's banking account: <c>type</c> is Credit or Debit; <c>identifiers.type</c> is Codat's kind of account
    /// (a current or savings account is <c>Depository</c>, a credit card <c>Credit</c>) and the bank's own kind its
    /// <c>subtype</c>; <c>balance</c> (required by Codat) is the account's balance as the bank last reported it.
    /// </summary>
    private static JsonObject BankAccount(JsonElement s, string modified)
    {
        var type = Text(s, "type");
        var credit = type is "CreditCard" or "Credit";
        return new JsonObject
        {
            ["id"] = Text(s, "id"),
            ["name"] = Text(s, "name"),
            ["informalName"] = Text(s, "name"),
            ["type"] = credit ? "Credit" : "Debit",
            ["balance"] = new JsonObject
            {
                ["available"] = Number(s, "availableBalance"),
                ["current"] = Number(s, "currentBalance") ?? JsonValue.Create(0m),
                ["limit"] = Number(s, "creditLimit"),
            },
            ["currency"] = Text(s, "currency"),
            ["identifiers"] = new JsonObject
            {
                ["type"] = credit ? "Credit" : "Depository",
                ["subtype"] = type,
                ["number"] = Text(s, "accountNumber"),
                ["bankCode"] = Text(s, "sortCode"),
                ["maskedAccountNumber"] = Text(s, "accountNumber") is { Length: > 4 } n ? $"****{n[^4..]}" : null,
            },
            ["institution"] = new JsonObject { ["id"] = "sbbk", ["name"] = "Consentry Sandbox Bank" },
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
        ["date"] = Text(s, "asOf"),
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    /// <summary>Codat's banking transaction: cleared on <c>postedDate</c> (the bank's booking date), authorized on <c>authorizedDate</c>.</summary>
    private static JsonObject BankTransaction(JsonElement s, string modified) => new()
    {
        ["id"] = Text(s, "id"),
        ["accountId"] = Text(s, "accountId"),
        ["description"] = Text(s, "description"),
        ["amount"] = Number(s, "amount"),
        ["currency"] = Text(s, "currency"),
        ["postedDate"] = Text(s, "bookingDate"),
        ["authorizedDate"] = Text(s, "authorizedDate") ?? Text(s, "bookingDate"),
        ["code"] = Text(s, "type") == "Credit" ? "Credit" : Text(s, "merchantName") is null ? "Other" : "Purchase",
        ["merchantName"] = Text(s, "merchantName"),
        ["transactionCategoryRef"] = Text(s, "category") is { } category
            ? new JsonObject { ["id"] = Text(s, "categoryId") ?? category, ["name"] = category }
            : null,
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    private static JsonObject TransactionCategory(JsonElement s, string modified) => new()
    {
        ["id"] = Text(s, "id"),
        ["name"] = Text(s, "name"),
        ["hasChildren"] = false,
        ["status"] = Text(s, "status") == "Archived" ? "Archived" : "Active",
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    private static JsonObject CommerceCompany(JsonElement s, string modified) => new()
    {
        ["companyName"] = Text(s, "name"),
        ["commercePlatformRef"] = Text(s, "id"),
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

    /// <summary>Codat's product: its dates are its variant's (Codat's product has none of its own).</summary>
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
            ["status"] = Text(s, "status") == "Archived" ? "Unpublished" : "Published",
            ["prices"] = new JsonArray(new JsonObject { ["currency"] = Text(s, "currency"), ["unitPrice"] = Number(s, "price") }),
            ["inventory"] = new JsonObject
            {
                ["totalQuantity"] = Number(s, "inventoryQuantity"),
                ["locations"] = Text(s, "locationId") is { } location
                    ? new JsonArray(new JsonObject { ["quantity"] = Number(s, "inventoryQuantity"), ["locationRef"] = new JsonObject { ["id"] = location } })
                    : new JsonArray(),
            },
            ["createdDate"] = Text(s, "createdDate"),
            ["sourceModifiedDate"] = Text(s, "modifiedDate"),
            ["modifiedDate"] = modified,
        }),
    };

    /// <summary>
    /// Codat's order: no status of its own (a fulfilled or refunded order is closed, a refunded one has its total refunded),
    /// its payment referred to in <c>payments</c>.
    /// </summary>
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

        var status = Text(s, "status");
        var json = new JsonObject
        {
            ["id"] = Text(s, "id"),
            ["orderNumber"] = Text(s, "orderNumber"),
            ["currency"] = Text(s, "currency"),
            ["customerRef"] = new JsonObject { ["id"] = Text(s, "customerId") },
            ["orderLineItems"] = lines,
            ["totalTaxAmount"] = Number(s, "totalTaxAmount"),
            ["totalAmount"] = Number(s, "totalAmount"),
            ["totalRefund"] = status == "Refunded" ? Number(s, "totalAmount") : JsonValue.Create(0m),
            ["createdDate"] = Text(s, "createdDate"),
            ["sourceModifiedDate"] = Text(s, "modifiedDate"),
            ["modifiedDate"] = modified,
        };
        if (status is "Fulfilled" or "Refunded" or "Cancelled")
        {
            json["closedDate"] = Text(s, "modifiedDate");
        }

        if (Text(s, "paymentId") is { } payment)
        {
            json["payments"] = new JsonArray(new JsonObject { ["id"] = payment, ["amount"] = Number(s, "totalAmount"), ["currency"] = Text(s, "currency") });
        }

        if (Text(s, "locationId") is { } location)
        {
            json["locationRef"] = new JsonObject { ["id"] = location };
        }

        return json;
    }

    /// <summary>Codat's payment; a refunded one was paid (the refund is the order's <c>totalRefund</c>).</summary>
    private static JsonObject Payment(JsonElement s, string modified) => new()
    {
        ["id"] = Text(s, "id"),
        ["amount"] = Number(s, "amount"),
        ["currency"] = Text(s, "currency"),
        ["paymentMethodRef"] = Text(s, "method") is { } method ? new JsonObject { ["id"] = Slug(method), ["name"] = method } : null,
        ["status"] = Text(s, "status") switch
        {
            "Paid" or "Refunded" => "Paid",
            "Pending" => "Pending",
            "Failed" => "Failed",
            "Cancelled" => "Cancelled",
            _ => "Unknown",
        },
        ["createdDate"] = Text(s, "paidDate"),
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    private static JsonObject Location(JsonElement s, string modified)
    {
        var address = Addresses(s, "Inventory");
        return new JsonObject
        {
            ["id"] = Text(s, "id"),
            ["name"] = Text(s, "name"),
            ["address"] = address.Count > 0 ? address[0]!.DeepClone() : null,
            ["sourceModifiedDate"] = Text(s, "modifiedDate"),
            ["modifiedDate"] = modified,
        };
    }

    private static JsonObject PaymentMethod(JsonElement s, string modified) => new()
    {
        ["id"] = Text(s, "id"),
        ["name"] = Text(s, "name"),
        ["status"] = Text(s, "status") == "Archived" ? "Archived" : "Active",
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    private static JsonObject ProductCategory(JsonElement s, string modified) => new()
    {
        ["id"] = Text(s, "id"),
        ["name"] = Text(s, "name"),
        ["ancestorRefs"] = new JsonArray(),
        ["hasChildren"] = false,
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    private static JsonObject TaxComponent(JsonElement s, string modified) => new()
    {
        ["id"] = Text(s, "id"),
        ["name"] = Text(s, "name"),
        ["rate"] = Number(s, "rate"),
        ["isCompound"] = s.TryGetProperty("isCompound", out var compound) && compound.ValueKind == JsonValueKind.True,
        ["sourceModifiedDate"] = Text(s, "modifiedDate"),
        ["modifiedDate"] = modified,
    };

    /// <summary>The sandbox's ids of named things (payment methods): the name in lower-case letters and digits.</summary>
    private static string Slug(string name) => new([.. name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);

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

    private static void WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (value is null)
                    {
                        o.Remove(key);
                    }
                    else
                    {
                        WithoutNulls(value);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    WithoutNulls(item);
                }

                break;
        }
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
