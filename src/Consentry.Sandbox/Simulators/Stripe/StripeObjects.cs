using System.Text.Json.Nodes;

namespace Consentry.Sandbox.Simulators.Stripe;

/// <summary>
/// Builds Stripe objects from <see cref="StripeTemplates"/>: a deep copy of the type's template (Stripe's own fixture)
/// with the record's values set, so nothing the simulator serves has a shape of its own making.
/// </summary>
internal static class StripeObjects
{
    private static readonly JsonObject Templates = JsonNode.Parse(StripeTemplates.Json)!.AsObject();

    public static JsonObject From(string type, string id, long created, JsonObject values)
    {
        var record = Templates[type]!.DeepClone().AsObject();
        record["id"] = id;
        record["created"] = created;
        if (record.ContainsKey("livemode"))
        {
            record["livemode"] = false;
        }

        foreach (var (key, value) in values)
        {
            record[key] = value?.DeepClone();
        }

        return record;
    }

    public static JsonObject Customer(string id, long created, string name, string email, string phone, string city, string postcode, string line1) =>
        From("customer", id, created, new JsonObject
        {
            ["name"] = name, ["email"] = email, ["phone"] = phone,
            ["currency"] = "gbp", ["description"] = null, ["discount"] = null, ["shipping"] = null, ["invoice_prefix"] = id[4..11].ToUpperInvariant(),
            ["address"] = new JsonObject { ["city"] = city, ["country"] = "GB", ["line1"] = line1, ["line2"] = null, ["postal_code"] = postcode, ["state"] = null },
        });

    public static JsonObject Product(string id, long created, string name, string description, string priceId) =>
        From("product", id, created, new JsonObject
        {
            ["name"] = name, ["description"] = description, ["default_price"] = priceId, ["updated"] = created,
            ["package_dimensions"] = null, ["shippable"] = true,
        });

    public static JsonObject Price(string id, long created, string productId, long unitAmount) =>
        From("price", id, created, new JsonObject
        {
            ["product"] = productId, ["unit_amount"] = unitAmount, ["unit_amount_decimal"] = unitAmount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["currency"] = "gbp", ["type"] = "one_time", ["recurring"] = null, ["transform_quantity"] = null, ["custom_unit_amount"] = null,
        });

    public static JsonObject Charge(string id, long created, long amount, long refunded, string customerId, string customerName, string email, string paymentIntentId, string balanceTransactionId, string description, bool disputed) =>
        From("charge", id, created, new JsonObject
        {
            ["amount"] = amount, ["amount_captured"] = amount, ["amount_refunded"] = refunded, ["refunded"] = refunded == amount,
            ["captured"] = true, ["paid"] = true, ["status"] = "succeeded", ["currency"] = "gbp", ["customer"] = customerId,
            ["description"] = description, ["balance_transaction"] = balanceTransactionId, ["payment_intent"] = paymentIntentId,
            ["receipt_email"] = email, ["disputed"] = disputed,
            ["billing_details"] = new JsonObject
            {
                ["address"] = new JsonObject { ["city"] = null, ["country"] = "GB", ["line1"] = null, ["line2"] = null, ["postal_code"] = null, ["state"] = null },
                ["email"] = email, ["name"] = customerName, ["phone"] = null, ["tax_id"] = null,
            },
        });

    public static JsonObject PaymentIntent(string id, long created, long amount, string customerId, string chargeId, string description) =>
        From("payment_intent", id, created, new JsonObject
        {
            ["amount"] = amount, ["amount_received"] = amount, ["currency"] = "gbp", ["customer"] = customerId, ["latest_charge"] = chargeId,
            ["description"] = description, ["status"] = "succeeded", ["canceled_at"] = null, ["last_payment_error"] = null,
            ["next_action"] = null, ["processing"] = null, ["transfer_data"] = null, ["client_secret"] = $"{id}_secret_{StripeUsers.Alphanumeric(id, 25)}",
        });

    public static JsonObject Payout(string id, long created, long amount, string balanceTransactionId, string destination) =>
        From("payout", id, created, new JsonObject
        {
            ["amount"] = amount, ["arrival_date"] = created + 2 * 86_400, ["currency"] = "gbp", ["balance_transaction"] = balanceTransactionId,
            ["destination"] = destination, ["status"] = "paid", ["description"] = "STRIPE PAYOUT", ["trace_id"] = null,
        });

    public static JsonObject BalanceTransaction(string id, long created, long amount, long fee, string type, string category, string sourceId, string description) =>
        From("balance_transaction", id, created, new JsonObject
        {
            ["amount"] = amount, ["fee"] = fee, ["net"] = amount - fee, ["currency"] = "gbp", ["type"] = type, ["reporting_category"] = category,
            ["source"] = sourceId, ["description"] = description, ["available_on"] = created + 2 * 86_400, ["status"] = "available",
            ["fee_details"] = fee == 0 ? new JsonArray() : new JsonArray(new JsonObject
            {
                ["amount"] = fee, ["application"] = null, ["currency"] = "gbp", ["description"] = "Stripe processing fees", ["type"] = "stripe_fee",
            }),
        });

    public static JsonObject Dispute(string id, long created, long amount, string chargeId, string paymentIntentId, string reason, string status) =>
        From("dispute", id, created, new JsonObject
        {
            ["amount"] = amount, ["charge"] = chargeId, ["payment_intent"] = paymentIntentId, ["currency"] = "gbp", ["reason"] = reason, ["status"] = status,
        });
}
