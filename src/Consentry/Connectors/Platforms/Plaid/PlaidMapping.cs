using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors.Data;

namespace Consentry.Connectors.Platforms.Plaid;

/// <summary>
/// Plaid's records in Codat's banking shapes. Pure: Plaid's JSON in, <see cref="MappedRecord"/> out. Plaid's amounts are
/// positive for money leaving the account, Codat's negative, so a transaction's sign flips; credit and loan accounts are
/// Codat's <c>Credit</c> type, depository ones <c>Debit</c>; the personal finance category is the transaction category.
/// </summary>
public static class PlaidMapping
{
    /// <summary>An account of <c>/accounts/get</c>, at the institution the answer's <c>item</c> names.</summary>
    public static MappedRecord? Account(JsonElement account, JsonElement? item, DateTime readAt)
    {
        if (Text(account, "account_id") is not { Length: > 0 } id)
        {
            return null;
        }

        var balances = Object(account, "balances");
        var type = Text(account, "type");
        var json = new JsonObject
        {
            ["id"] = id,
            ["name"] = Text(account, "official_name") ?? Text(account, "name") ?? id,
            ["informalName"] = Text(account, "name"),
            ["holder"] = null,
            ["type"] = type switch { "credit" or "loan" => "Credit", "depository" => "Debit", _ => "Unknown" },
            ["balance"] = Amounts(balances),
            ["identifiers"] = new JsonObject
            {
                ["type"] = type switch
                {
                    "depository" => "Depository", "credit" => "Credit", "loan" => "Loan", "investment" or "brokerage" => "Investment", _ => "Other",
                },
                ["subtype"] = Text(account, "subtype"),
                ["number"] = null,
                ["bankCode"] = null,
                ["iban"] = null,
                ["bic"] = null,
                ["maskedAccountNumber"] = Text(account, "mask") is { } mask ? $"****{mask}" : null,
            },
            ["currency"] = Currency(balances) ?? "USD",
            ["institution"] = new JsonObject
            {
                ["id"] = item is { } i ? Text(i, "institution_id") ?? "" : "",
                ["name"] = item is { } j ? Text(j, "institution_name") ?? "" : "",
            },
            ["modifiedDate"] = Iso(readAt),
        };
        return new MappedRecord(id, null, json.ToJsonString());
    }

    /// <summary>An account's balance of <c>/accounts/balance/get</c>: one record per account and day (Codat's closing balances).</summary>
    public static MappedRecord? Balance(JsonElement account, DateTime readAt)
    {
        if (Text(account, "account_id") is not { Length: > 0 } id)
        {
            return null;
        }

        var balances = Object(account, "balances");
        var updated = balances is { } b && Text(b, "last_updated_datetime") is { } u && DateTime.TryParse(u, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTime?)null;
        var day = (updated ?? readAt).Date;
        var json = new JsonObject
        {
            ["accountId"] = id,
            ["balance"] = Amounts(balances),
            ["date"] = Iso(day),
            ["modifiedDate"] = Iso(readAt),
        };
        if (updated is { } source)
        {
            json["sourceModifiedDate"] = Iso(source);
        }

        return new MappedRecord($"{id}:{day:yyyy-MM-dd}", updated, json.ToJsonString());
    }

    /// <summary>A transaction of <c>/transactions/sync</c>'s <c>added</c> or <c>modified</c>.</summary>
    public static MappedRecord? Transaction(JsonElement transaction, DateTime readAt)
    {
        if (Text(transaction, "transaction_id") is not { Length: > 0 } id || Text(transaction, "account_id") is not { Length: > 0 } accountId)
        {
            return null;
        }

        var pending = transaction.TryGetProperty("pending", out var p) && p.ValueKind == JsonValueKind.True;
        var category = Object(transaction, "personal_finance_category");
        var json = new JsonObject
        {
            ["id"] = id,
            ["accountId"] = accountId,
            ["description"] = Text(transaction, "original_description") ?? Text(transaction, "name"),
            ["amount"] = transaction.TryGetProperty("amount", out var a) && a.TryGetDecimal(out var amount) ? -amount : null,
            ["currency"] = Text(transaction, "iso_currency_code") ?? Text(transaction, "unofficial_currency_code") ?? "USD",
            ["authorizedDate"] = Day(Text(transaction, "authorized_date") ?? Text(transaction, "date")),
            ["code"] = Code(Text(transaction, "transaction_code"), Text(transaction, "payment_channel")),
            ["merchantName"] = Text(transaction, "merchant_name"),
            ["transactionCategoryRef"] = category is { } c && Text(c, "detailed") is { Length: > 0 } detailed
                ? new JsonObject { ["id"] = detailed, ["name"] = Readable(Text(c, "primary") ?? detailed) }
                : null,
            ["modifiedDate"] = Iso(readAt),
        };
        // A pending transaction has not cleared: Plaid's date is then the expected one, not a posted date (Codat omits dates it lacks).
        if (!pending && Day(Text(transaction, "date")) is { } posted)
        {
            json["postedDate"] = posted;
        }

        return new MappedRecord(id, null, json.ToJsonString());
    }

    /// <summary>A transaction of <c>/transactions/sync</c>'s <c>removed</c>: the stored one is marked deleted.</summary>
    public static MappedRecord? Removed(JsonElement removed) =>
        Text(removed, "transaction_id") is { Length: > 0 } id ? new MappedRecord(id, null, "{}", Tombstone: true) : null;

    private static string Code(string? transactionCode, string? channel) => transactionCode switch
    {
        "bank charge" => "Fee",
        "bill payment" => "Payment",
        "cash" or "atm" => "Cash",
        "transfer" => "Transfer",
        "interest" => "Interest",
        "cashback" => "Cashback",
        "cheque" => "Cheque",
        "direct debit" => "DirectDebit",
        "purchase" => "Purchase",
        "standing order" => "StandingOrder",
        "adjustment" => "Adjustment",
        null when channel is "online" or "in store" => "Purchase",
        null => "Unknown",
        _ => "Other",
    };

    private static JsonObject Amounts(JsonElement? balances) => new()
    {
        ["available"] = Number(balances, "available"),
        ["current"] = Number(balances, "current") ?? 0m,
        ["limit"] = Number(balances, "limit"),
    };

    private static string? Currency(JsonElement? balances) =>
        balances is { } b ? Text(b, "iso_currency_code") ?? Text(b, "unofficial_currency_code") : null;

    /// <summary>FOOD_AND_DRINK → Food and drink.</summary>
    private static string Readable(string code) =>
        code.Length == 0 ? code : string.Concat(code[..1].ToUpperInvariant(), code[1..].Replace('_', ' ').ToLowerInvariant());

    private static string? Day(string? date) =>
        DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z" : null;

    private static string Iso(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static decimal? Number(JsonElement? e, string name) =>
        e is { } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d) ? d : null;

    private static JsonElement? Object(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    internal static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
