using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors.Data;

namespace Consentry.Connectors.Platforms.TrueLayer;

/// <summary>
/// TrueLayer's Data API v1 records → Codat's banking shapes (Codat-Banking.json: <c>Account</c>, <c>AccountBalance</c>,
/// <c>Transaction</c>). Pure: vendor JSON in, <see cref="MappedRecord"/> out. Accounts and cards are both Codat accounts
/// (a card is a <c>Credit</c> account identified as <c>Card</c>); a pending transaction has an authorized date and no
/// posted date; balances are kept one per account and day (Codat's end-of-day balances).
/// </summary>
public static class TrueLayerMapping
{
    /// <summary>TrueLayer's <c>transaction_category</c> → Codat's transaction code.</summary>
    private static readonly Dictionary<string, string> Codes = new(StringComparer.Ordinal)
    {
        ["ATM"] = "Cash", ["BILL_PAYMENT"] = "Payment", ["CASH"] = "Cash", ["CASHBACK"] = "Cashback", ["CHEQUE"] = "Cheque",
        ["CORRECTION"] = "Adjustment", ["CREDIT"] = "Credit", ["DIRECT_DEBIT"] = "DirectDebit", ["DIVIDEND"] = "Interest",
        ["FEE_CHARGE"] = "Fee", ["INTEREST"] = "Interest", ["PURCHASE"] = "Purchase", ["STANDING_ORDER"] = "StandingOrder",
        ["TRANSFER"] = "Transfer", ["DEBIT"] = "Other", ["OTHER"] = "Other", ["UNKNOWN"] = "Unknown",
    };

    /// <summary>
    /// An account (<c>/accounts</c>) or a card (<c>/cards</c>) with its balance (<c>/…/balance</c>, may be null) as a Codat
    /// account. <paramref name="card"/>: the record came from <c>/cards</c>.
    /// </summary>
    public static MappedRecord? Account(JsonElement source, JsonElement? balance, bool card, DateTime readAt)
    {
        if (Text(source, "account_id") is not { Length: > 0 } id)
        {
            return null;
        }

        var provider = source.TryGetProperty("provider", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var number = source.TryGetProperty("account_number", out var n) && n.ValueKind == JsonValueKind.Object ? n : default;
        var identifiers = card
            ? new JsonObject
            {
                ["type"] = "Card",
                ["subtype"] = Text(source, "card_type"),
                ["maskedAccountNumber"] = Text(source, "partial_card_number") is { } last ? $"**** **** **** {last}" : null,
            }
            : new JsonObject
            {
                ["type"] = "Depository",
                ["subtype"] = Text(source, "account_type"),
                ["number"] = Text(number, "number"),
                ["bankCode"] = Text(number, "sort_code"),
                ["iban"] = Text(number, "iban"),
                ["bic"] = Text(number, "swift_bic"),
            };
        var json = new JsonObject
        {
            ["id"] = id,
            ["name"] = Text(source, "display_name") ?? (card ? "Card" : "Account"),
            ["informalName"] = null,
            ["holder"] = card ? Text(source, "name_on_card") : null,
            ["type"] = card ? "Credit" : "Debit",
            ["balance"] = balance is { } b ? Amounts(b, card) : new JsonObject(),
            ["identifiers"] = identifiers,
            ["currency"] = Text(source, "currency"),
            ["institution"] = new JsonObject { ["id"] = Text(provider, "provider_id"), ["name"] = Text(provider, "display_name") },
            ["sourceModifiedDate"] = Text(source, "update_timestamp"),
            ["modifiedDate"] = Stamp(readAt),
        };
        return new MappedRecord(id, Date(source, "update_timestamp"), WithoutNulls(json).ToJsonString());
    }

    /// <summary>One balance (<c>/accounts/{id}/balance</c> or <c>/cards/{id}/balance</c>) as the account's balance of that day.</summary>
    public static MappedRecord? Balance(string accountId, JsonElement source, bool card, DateTime readAt)
    {
        var at = Date(source, "update_timestamp") ?? readAt;
        var json = new JsonObject
        {
            ["accountId"] = accountId,
            ["balance"] = Amounts(source, card),
            ["date"] = Stamp(at),
            ["sourceModifiedDate"] = Text(source, "update_timestamp"),
            ["modifiedDate"] = Stamp(readAt),
        };
        return new MappedRecord($"{accountId}:{at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", at, WithoutNulls(json).ToJsonString());
    }

    /// <summary>A settled or pending transaction as a Codat transaction of <paramref name="accountId"/>.</summary>
    public static MappedRecord? Transaction(string accountId, JsonElement source, bool pending, DateTime readAt)
    {
        if (Text(source, "transaction_id") is not { Length: > 0 } id || Text(source, "currency") is not { Length: > 0 } currency)
        {
            return null;
        }

        var timestamp = Text(source, "timestamp");
        var classification = source.TryGetProperty("transaction_classification", out var c) && c.ValueKind == JsonValueKind.Array
            ? [.. c.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : new List<string>();
        var json = new JsonObject
        {
            ["id"] = id,
            ["accountId"] = accountId,
            ["description"] = Text(source, "description"),
            ["amount"] = source.TryGetProperty("amount", out var a) && a.TryGetDecimal(out var amount) ? amount : 0m,
            ["currency"] = currency,
            // Pending: authorized, not yet cleared (Codat has no posted date for it).
            ["postedDate"] = pending ? null : timestamp,
            ["authorizedDate"] = timestamp,
            ["code"] = Codes.GetValueOrDefault(Text(source, "transaction_category") ?? "", "Unknown"),
            ["merchantName"] = Text(source, "merchant_name"),
            ["transactionCategoryRef"] = classification.Count == 0 ? null : new JsonObject
            {
                ["id"] = string.Join('-', classification.Select(Slug)),
                ["name"] = string.Join(" > ", classification),
            },
            ["sourceModifiedDate"] = timestamp,
            ["modifiedDate"] = Stamp(readAt),
        };
        return new MappedRecord(id, Date(source, "timestamp"), WithoutNulls(json).ToJsonString());
    }

    /// <summary>
    /// Codat's balance amounts: current and available as the bank says; the limit is the lowest balance allowed, so an
    /// account's overdraft of 1,000 is <c>-1000</c> and a card's credit limit is the limit as it is.
    /// </summary>
    private static JsonObject Amounts(JsonElement source, bool card) => new()
    {
        ["available"] = Number(source, "available"),
        ["current"] = Number(source, "current") ?? 0m,
        ["limit"] = card ? Number(source, "credit_limit") : Number(source, "overdraft") is { } overdraft ? -overdraft : null,
    };

    /// <summary>What the bank did not say is left out: Codat's dates and references are not nullable.</summary>
    private static JsonObject WithoutNulls(JsonObject json)
    {
        foreach (var (key, value) in json.ToList())
        {
            if (value is null)
            {
                json.Remove(key);
            }
            else if (value is JsonObject nested)
            {
                WithoutNulls(nested);
            }
        }

        return json;
    }

    private static string Slug(string text) =>
        new([.. text.ToLowerInvariant().Select(ch => char.IsLetterOrDigit(ch) ? ch : '_')]);

    private static string Stamp(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static decimal? Number(JsonElement s, string name) =>
        s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out var v) && v.TryGetDecimal(out var d) ? d : null;

    private static DateTime? Date(JsonElement s, string name) =>
        Text(s, name) is { } text && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string? Text(JsonElement s, string name) =>
        s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
