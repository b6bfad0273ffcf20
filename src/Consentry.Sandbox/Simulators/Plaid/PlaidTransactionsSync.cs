using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using static Consentry.Sandbox.Simulators.Plaid.PlaidApi;

namespace Consentry.Sandbox.Simulators.Plaid;

/// <summary>
/// <c>/transactions/sync</c>: the changes since the <c>cursor</c> (none: the whole history) as <c>added</c>,
/// <c>modified</c> and <c>removed</c>, <c>count</c> (1–500, default 100) at a time with <c>has_more</c>, and the
/// <c>next_cursor</c> to continue from. The cursor is opaque to the caller; here it holds the item versions it spans
/// and how far into them it is, so pages of one pass are consistent while the item changes.
/// </summary>
internal static class PlaidTransactionsSync
{
    public static IResult Sync(PlaidSimulator sim, PlaidItem item, JsonObject body)
    {
        var count = 100;
        if (body["count"] is JsonValue c && (!c.TryGetValue<int>(out count) || count is < 1 or > 500))
        {
            return Error(400, "INVALID_REQUEST", "INVALID_FIELD", "count must be between 1 and 500", null);
        }

        long from = 0, to = item.Version;
        var offset = 0;
        if (Text(body, "cursor") is { Length: > 0 } cursor)
        {
            if (Decode(cursor) is not { } parsed)
            {
                return Error(400, "INVALID_INPUT", "INVALID_FIELD", "cursor is not valid", null);
            }

            (from, to, offset) = parsed;
            if (offset == 0 && from == to)
            {
                to = item.Version;
            }
        }

        bool InPass(long v) => v > from && v <= to;
        var changes = item.Transactions
            .Select(t => t.RemovedVersion is { } r
                ? (InPass(r) && t.AddedVersion <= from ? ("removed", t) : (null, t))
                : InPass(t.AddedVersion) ? ("added", t)
                : InPass(t.ModifiedVersion) && t.AddedVersion <= from ? ("modified", t) : (null, t))
            .Where(x => x.Item1 is not null)
            .OrderBy(x => x.t.Id, StringComparer.Ordinal)
            .ToList();
        var page = changes.Skip(offset).Take(count).ToList();
        var hasMore = offset + page.Count < changes.Count;
        var next = hasMore ? Encode(from, to, offset + page.Count) : Encode(to, to, 0);
        JsonArray Of(string kind) => [.. page.Where(x => x.Item1 == kind).Select(x => kind == "removed"
            ? new JsonObject { ["transaction_id"] = x.t.Id, ["account_id"] = x.t.AccountId }
            : Transaction(item, x.t))];
        return Ok(new JsonObject
        {
            ["transactions_update_status"] = "HISTORICAL_UPDATE_COMPLETE",
            ["accounts"] = AccountsArray(sim, item, live: false),
            ["added"] = Of("added"),
            ["modified"] = Of("modified"),
            ["removed"] = Of("removed"),
            ["next_cursor"] = next,
            ["has_more"] = hasMore,
        });
    }

    private static JsonObject Transaction(PlaidItem item, PlaidTransaction t)
    {
        var date = t.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["account_id"] = t.AccountId,
            ["account_owner"] = null,
            ["amount"] = t.Amount,
            ["iso_currency_code"] = item.Institution.Currency,
            ["unofficial_currency_code"] = null,
            ["category"] = null,
            ["category_id"] = null,
            ["check_number"] = null,
            ["counterparties"] = new JsonArray(),
            ["date"] = date,
            ["datetime"] = null,
            ["authorized_date"] = date,
            ["authorized_datetime"] = null,
            ["location"] = new JsonObject
            {
                ["address"] = null, ["city"] = null, ["region"] = null, ["postal_code"] = null, ["country"] = null, ["lat"] = null, ["lon"] = null, ["store_number"] = null,
            },
            ["name"] = t.Name,
            ["merchant_name"] = t.MerchantName,
            ["merchant_entity_id"] = null,
            ["logo_url"] = null,
            ["website"] = null,
            ["payment_meta"] = new JsonObject
            {
                ["by_order_of"] = null, ["payee"] = null, ["payer"] = null, ["payment_method"] = null, ["payment_processor"] = null,
                ["ppd_id"] = null, ["reason"] = null, ["reference_number"] = null,
            },
            ["payment_channel"] = t.Channel,
            ["pending"] = t.Pending,
            ["pending_transaction_id"] = null,
            ["personal_finance_category"] = new JsonObject { ["primary"] = t.Primary, ["detailed"] = t.Detailed, ["confidence_level"] = "VERY_HIGH" },
            ["transaction_code"] = null,
            ["transaction_id"] = t.Id,
            ["transaction_type"] = t.Channel == "in store" ? "place" : t.Channel == "online" ? "digital" : "special",
        };
    }

    private static string Encode(long from, long to, int offset) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{from}.{to}.{offset}")));

    private static (long, long, int)? Decode(string cursor)
    {
        try
        {
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(cursor)).Split('.');
            return parts.Length == 3 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var f) && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var t)
                && int.TryParse(parts[2], CultureInfo.InvariantCulture, out var o) && f >= 0 && t >= f && o >= 0 ? (f, t, o) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
