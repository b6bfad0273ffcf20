using System.Globalization;
using System.Text.Json.Nodes;

namespace Consentry.Sandbox.Simulators.Stripe;

/// <summary>
/// A deterministic account per test user: customers, products with their prices, payments (a payment intent, its charge
/// and the charge's balance transaction, some refunded), payouts and disputes, created over the 180 days before a fixed
/// day so every run sees the same data. Amounts are in pence (GBP).
/// </summary>
internal static class StripeDataGenerator
{
    /// <summary>The newest generated record's time: fixed, so a user's data never depends on when the simulator started.</summary>
    public static readonly DateTimeOffset Anchor = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] FirstNames = ["Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Grace", "Leo", "Freya", "Oscar"];
    private static readonly string[] LastNames = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright"];
    private static readonly string[] Cities = ["London", "Manchester", "Leeds", "Bristol", "Glasgow", "Cardiff"];
    private static readonly string[] Goods = ["Ceramic mug", "Linen apron", "Oak board", "Tea towel", "Candle", "Notebook", "Tote bag", "Plant pot"];
    private static readonly string[] Reasons = ["fraudulent", "product_not_received", "duplicate", "subscription_canceled"];

    public static StripeAccountData Generate(string username)
    {
        var accountId = StripeUsers.AccountIdOf(username);
        var size = StripeUsers.SizeOf(username);
        var random = new Random(StableSeed(username));
        var start = Anchor.AddDays(-180).ToUnixTimeSeconds();
        var span = Anchor.ToUnixTimeSeconds() - start;
        long At(int index, int count) => start + (span * (index + 1) / (count + 1));
        string Id(string prefix, string kind, int index) => prefix + StripeUsers.Alphanumeric($"{kind}|{username}|{index}", 24);

        var account = StripeObjects.From("account", accountId, start - 86_400 * 30, new JsonObject
        {
            ["email"] = $"{username}@example.co.uk", ["country"] = "GB", ["default_currency"] = "gbp",
            ["charges_enabled"] = true, ["payouts_enabled"] = true, ["details_submitted"] = true, ["business_type"] = "company",
        });
        account["business_profile"]!["name"] = $"Simulated Goods Ltd ({username})";
        account["business_profile"]!["url"] = "https://goods.example.co.uk";
        account["business_profile"]!["support_email"] = "help@goods.example.co.uk";
        account["settings"]!["dashboard"]!["display_name"] = "Simulated Goods";
        account["external_accounts"]!["url"] = $"/v1/accounts/{accountId}/external_accounts";
        account["requirements"]!["currently_due"] = new JsonArray();
        account["requirements"]!["eventually_due"] = new JsonArray();
        account["requirements"]!["disabled_reason"] = null;

        var data = new StripeAccountData(username, accountId, account);
        var customers = new List<JsonObject>();
        for (var i = 0; i < size.Customers; i++)
        {
            var name = $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]}";
            var city = Cities[random.Next(Cities.Length)];
            customers.Add(StripeObjects.Customer(Id("cus_", "customer", i), At(i, size.Customers) - 86_400, name,
                $"{name.Replace(' ', '.').ToLowerInvariant()}{i}@example.com", $"+44 20 7946 {i % 10_000:0000}", city,
                $"SW{1 + (i % 9)} {1 + (i % 9)}AA", $"{10 + i} High Street"));
        }

        for (var i = 0; i < size.Products; i++)
        {
            var productId = Id("prod_", "product", i);
            var priceId = Id("price_", "price", i);
            var created = At(i, size.Products) - 86_400 * 7;
            data.Lists["products"].Add(StripeObjects.Product(productId, created, $"{Goods[i % Goods.Length]} {1 + (i / Goods.Length)}", $"Handmade {Goods[i % Goods.Length].ToLowerInvariant()}", priceId));
            data.Lists["prices"].Add(StripeObjects.Price(priceId, created, productId, 500 + (100 * random.Next(1, 60))));
        }

        var charges = new List<JsonObject>();
        for (var i = 0; i < size.Charges; i++)
        {
            var customer = customers[random.Next(customers.Count)];
            var created = At(i, size.Charges);
            var amount = 1000L + (random.Next(1, 400) * 25);
            var refunded = i % 7 == 3 ? amount / 2 : 0;
            string chargeId = Id("ch_", "charge", i), intentId = Id("pi_", "intent", i), txnId = Id("txn_", "charge-txn", i);
            var description = $"Order {1000 + i}";
            var fee = 20 + (amount * 15 / 1000);
            charges.Add(StripeObjects.Charge(chargeId, created, amount, refunded, (string)customer["id"]!, (string)customer["name"]!, (string)customer["email"]!, intentId, txnId, description, disputed: false));
            data.Lists["payment_intents"].Add(StripeObjects.PaymentIntent(intentId, created, amount, (string)customer["id"]!, chargeId, description));
            data.Lists["balance_transactions"].Add(StripeObjects.BalanceTransaction(txnId, created, amount, fee, "charge", "charge", chargeId, description));
            if (refunded > 0)
            {
                data.Lists["balance_transactions"].Add(StripeObjects.BalanceTransaction(Id("txn_", "refund-txn", i), created + 3_600, -refunded, 0, "refund", "refund", Id("re_", "refund", i), $"REFUND FOR CHARGE ({description})"));
            }
        }

        for (var i = 0; i < size.Disputes; i++)
        {
            var charge = charges[(i * 5) + 1];
            charge["disputed"] = true;
            var created = (long)charge["created"]! + 86_400;
            var disputeId = Id("dp_", "dispute", i);
            data.Lists["disputes"].Add(StripeObjects.Dispute(disputeId, created, (long)charge["amount"]!, (string)charge["id"]!, (string)charge["payment_intent"]!,
                Reasons[i % Reasons.Length], i % 2 == 0 ? "needs_response" : "lost"));
            data.Lists["balance_transactions"].Add(StripeObjects.BalanceTransaction(Id("txn_", "dispute-txn", i), created, -(long)charge["amount"]!, 1500, "adjustment", "dispute", disputeId, "Chargeback withdrawal"));
        }

        for (var i = 0; i < size.Payouts; i++)
        {
            var created = At(i, size.Payouts) + 3_600;
            var amount = 5_000L + (random.Next(1, 200) * 100);
            string payoutId = Id("po_", "payout", i), txnId = Id("txn_", "payout-txn", i);
            data.Lists["payouts"].Add(StripeObjects.Payout(payoutId, created, amount, txnId, Id("ba_", "bank", 0)));
            data.Lists["balance_transactions"].Add(StripeObjects.BalanceTransaction(txnId, created, -amount, 0, "payout", "payout", payoutId, "STRIPE PAYOUT"));
        }

        data.Lists["customers"].AddRange(customers);
        data.Lists["charges"].AddRange(charges);
        foreach (var list in data.Lists.Values)
        {
            // Stripe lists newest first; equal times keep a stable order by id.
            list.Sort((a, b) => (long)b["created"]! != (long)a["created"]!
                ? ((long)b["created"]!).CompareTo((long)a["created"]!)
                : string.CompareOrdinal((string)b["id"]!, (string)a["id"]!));
        }

        return data;
    }

    public static string NewId(string prefix) => prefix + StripeUsers.Alphanumeric(Guid.NewGuid().ToString(), 24);

    private static int StableSeed(string username) =>
        BitConverter.ToInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(username)), 0);

    internal static string Unix(long seconds) => seconds.ToString(CultureInfo.InvariantCulture);
}
