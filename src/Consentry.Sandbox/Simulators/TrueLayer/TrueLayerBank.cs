using System.Globalization;
using System.Text.Json.Nodes;

namespace Consentry.Sandbox.Simulators.TrueLayer;

/// <summary>One account or card and what the Data API serves about it, in TrueLayer's own shapes.</summary>
internal sealed class TrueLayerSource(string id, bool card, JsonObject resource, JsonObject balance)
{
    public string Id { get; } = id;

    public bool Card { get; } = card;

    public JsonObject Resource { get; } = resource;

    public JsonObject Balance { get; } = balance;

    /// <summary>Settled transactions, newest first, each with its timestamp for the <c>from</c>/<c>to</c> filter.</summary>
    public List<(DateTime At, JsonObject Json)> Transactions { get; } = [];

    public List<JsonObject> Pending { get; } = [];
}

/// <summary>
/// A user's accounts at one bank with 12 months of transactions, generated from the username (the same user always
/// gets the same data, relative to the day it was first asked for). Small by default; <c>user_big</c> trades daily.
/// </summary>
internal sealed class TrueLayerBank
{
    private static readonly (string Description, string Merchant, string Category, string[] Classification, decimal Min, decimal Max)[] Spending =
    [
        ("TESCO STORES 3184", "Tesco", "PURCHASE", ["Shopping", "Groceries"], 8, 95),
        ("PRET A MANGER", "Pret A Manger", "PURCHASE", ["Food & Dining", "Coffee shops"], 3, 12),
        ("GOOGLE PLAY STORE", "Google Play", "PURCHASE", ["Entertainment", "Games"], 1, 10),
        ("TFL TRAVEL CH", "Transport for London", "PURCHASE", ["Auto & Transport", "Public transport"], 3, 40),
        ("BRITISH GAS DD", "British Gas", "DIRECT_DEBIT", ["Bills and Utilities", "Gas"], 45, 120),
        ("CASH WITHDRAWAL", "", "ATM", [], 20, 100),
    ];

    public required string ProviderId { get; init; }

    public required List<TrueLayerSource> Accounts { get; init; }

    public required List<TrueLayerSource> Cards { get; init; }

    public object Gate { get; } = new();

    public TrueLayerSource? Find(string id, bool card) => (card ? Cards : Accounts).FirstOrDefault(s => s.Id == id);

    public static TrueLayerBank Generate(string username, TrueLayerProvider provider, DateTime now)
    {
        var random = new Random(BitConverter.ToInt32(Convert.FromHexString(TrueLayerUsers.StableId($"{username}|{provider.Id}")).AsSpan(0, 4)));
        var today = now.Date;
        var big = TrueLayerUsers.IsBig(username);
        var current = Account(username, provider, "current", "TRANSACTION", "Club Lloyds", random, now);
        var savings = Account(username, provider, "savings", "SAVINGS", "Easy Saver", random, now);
        Fill(current, random, today, perWeek: big ? 35 : 2, salary: 2450m, pending: 2);
        Fill(savings, random, today, perWeek: 0, salary: 150m, pending: 0);
        var cards = new List<TrueLayerSource>();
        if (provider.Cards)
        {
            var card = Card(username, provider, random, now);
            Fill(card, random, today, perWeek: big ? 10 : 1, salary: null, pending: 1);
            cards.Add(card);
        }

        return new TrueLayerBank { ProviderId = provider.Id, Accounts = [current, savings], Cards = cards };
    }

    private static JsonObject Provider(TrueLayerProvider p) =>
        new() { ["display_name"] = p.DisplayName, ["logo_uri"] = p.LogoUri, ["provider_id"] = p.Id };

    private static TrueLayerSource Account(string username, TrueLayerProvider provider, string kind, string type, string name, Random random, DateTime now)
    {
        var id = TrueLayerUsers.StableId($"account|{username}|{provider.Id}|{kind}");
        var number = random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var resource = new JsonObject
        {
            ["update_timestamp"] = Stamp(now),
            ["account_id"] = id,
            ["account_type"] = type,
            ["display_name"] = name,
            ["currency"] = "GBP",
            ["account_number"] = new JsonObject
            {
                ["iban"] = $"GB35LOYD309634{number}", ["number"] = number, ["sort_code"] = "30-96-34", ["swift_bic"] = "LOYDGB2L",
            },
            ["provider"] = Provider(provider),
        };
        var current = Math.Round((decimal)random.Next(50_000, 900_000) / 100, 2);
        var balance = new JsonObject { ["currency"] = "GBP", ["available"] = current, ["current"] = current, ["update_timestamp"] = Stamp(now) };
        if (type == "TRANSACTION")
        {
            balance["available"] = current + 1000;
            balance["overdraft"] = 1000;
        }

        return new TrueLayerSource(id, card: false, resource, balance);
    }

    private static TrueLayerSource Card(string username, TrueLayerProvider provider, Random random, DateTime now)
    {
        var id = TrueLayerUsers.StableId($"card|{username}|{provider.Id}");
        var resource = new JsonObject
        {
            ["account_id"] = id,
            ["card_network"] = "VISA",
            ["card_type"] = "CREDIT",
            ["currency"] = "GBP",
            ["display_name"] = "Platinum Credit Card",
            ["partial_card_number"] = random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture),
            ["name_on_card"] = "Sherlock Holmes",
            ["valid_from"] = now.AddYears(-2).ToString("yyyy-MM", CultureInfo.InvariantCulture),
            ["valid_to"] = now.AddYears(2).ToString("yyyy-MM", CultureInfo.InvariantCulture),
            ["update_timestamp"] = Stamp(now),
            ["provider"] = Provider(provider),
        };
        var owed = Math.Round((decimal)random.Next(2_000, 90_000) / 100, 2);
        var balance = new JsonObject
        {
            ["available"] = 3300 - owed, ["currency"] = "GBP", ["current"] = owed, ["credit_limit"] = 3300,
            ["last_statement_balance"] = owed, ["last_statement_date"] = now.AddDays(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["payment_due"] = Math.Round(owed / 20, 2), ["payment_due_date"] = now.AddDays(15).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["update_timestamp"] = Stamp(now),
        };
        return new TrueLayerSource(id, card: true, resource, balance);
    }

    /// <summary>12 months of history (364 days, inside any 12-month window a read asks for): spending <paramref name="perWeek"/> times a week, a monthly credit, and some pending.</summary>
    private static void Fill(TrueLayerSource source, Random random, DateTime today, int perWeek, decimal? salary, int pending)
    {
        var running = (decimal)source.Balance["current"]!.GetValue<decimal>();
        var first = today.AddDays(-364);
        var entries = new List<(DateTime At, decimal Amount, string Description, string Merchant, string Category, string[] Classification)>();
        for (var day = today.AddDays(-1); day >= first; day = day.AddDays(-1))
        {
            if (salary is { } credit && day.Day == 25)
            {
                entries.Add((day, credit, source.Card ? "PAYMENT RECEIVED" : "SALARY ACME LTD", "", "CREDIT", ["Income"]));
            }

            var today7 = perWeek * (day.DayOfYear % 7 + 1) / 7 - perWeek * (day.DayOfYear % 7) / 7;
            for (var i = 0; i < today7; i++)
            {
                var s = Spending[random.Next(source.Card ? 4 : Spending.Length)];
                var amount = -Math.Round(s.Min + (decimal)random.NextDouble() * (s.Max - s.Min), 2);
                entries.Add((day.AddHours(8 + i % 12).AddMinutes(random.Next(60)), amount, s.Description, s.Merchant, s.Category, s.Classification));
            }
        }

        foreach (var e in entries.OrderByDescending(e => e.At))
        {
            var id = TrueLayerUsers.StableId($"tx|{source.Id}|{e.At:O}|{e.Description}|{e.Amount}");
            var json = Transaction(id, e.At, e.Description, e.Amount, e.Category, e.Classification, e.Merchant);
            json["running_balance"] = new JsonObject { ["amount"] = running, ["currency"] = "GBP" };
            json["meta"] = new JsonObject { ["bank_transaction_id"] = id[..12], ["provider_transaction_category"] = e.Category == "DIRECT_DEBIT" ? "DD" : "DEB" };
            running -= e.Amount;
            source.Transactions.Add((e.At, json));
        }

        for (var i = 0; i < pending; i++)
        {
            var s = Spending[i % 4];
            var at = today.AddHours(9 + i);
            source.Pending.Add(Transaction(TrueLayerUsers.StableId($"pending|{source.Id}|{i}"), at, s.Description, -Math.Round(s.Min + i, 2), s.Category, s.Classification, s.Merchant));
        }
    }

    private static JsonObject Transaction(string id, DateTime at, string description, decimal amount, string category, string[] classification, string merchant)
    {
        var json = new JsonObject
        {
            ["transaction_id"] = id,
            ["timestamp"] = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["description"] = description,
            ["amount"] = amount,
            ["currency"] = "GBP",
            ["transaction_type"] = amount < 0 ? "DEBIT" : "CREDIT",
            ["transaction_category"] = category,
            ["transaction_classification"] = new JsonArray([.. classification.Select(c => (JsonNode)JsonValue.Create(c))]),
        };
        if (merchant.Length > 0)
        {
            json["merchant_name"] = merchant;
        }

        return json;
    }

    public static string Stamp(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
