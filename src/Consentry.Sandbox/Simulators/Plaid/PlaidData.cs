using System.Globalization;

namespace Consentry.Sandbox.Simulators.Plaid;

/// <summary>
/// Deterministic data per test user: the same accounts and transactions for the same username and day, over twelve
/// months up to the simulator's clock. <c>user_good</c> is small (two accounts, a few transactions a week); <c>user_big</c>
/// has thousands, for volume.
/// </summary>
internal static class PlaidData
{
    public static readonly PlaidInstitution[] Institutions =
    [
        new("ins_109508", "First Platypus Bank", "US", "USD"),
        new("ins_117650", "Royal Bank of Plaid", "GB", "GBP"),
    ];

    private static readonly (string Name, string? Merchant, string Primary, string Detailed, string Channel, decimal Min, decimal Max)[] Spending =
    [
        ("Starbucks", "Starbucks", "FOOD_AND_DRINK", "FOOD_AND_DRINK_COFFEE", "in store", 3, 9),
        ("Uber 063015 SF**POOL**", "Uber", "TRANSPORTATION", "TRANSPORTATION_TAXIS_AND_RIDE_SHARES", "online", 6, 40),
        ("AMAZON MKTPL", "Amazon", "GENERAL_MERCHANDISE", "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES", "online", 10, 220),
        ("SparkFun", "SparkFun", "GENERAL_MERCHANDISE", "GENERAL_MERCHANDISE_ELECTRONICS", "online", 20, 300),
        ("United Airlines", "United Airlines", "TRAVEL", "TRAVEL_FLIGHTS", "online", 120, 900),
        ("Office rent", null, "RENT_AND_UTILITIES", "RENT_AND_UTILITIES_RENT", "other", 1500, 1500),
    ];

    public static PlaidItem NewItem(string username, PlaidInstitution institution, IReadOnlyList<string> products, int daysRequested, DateTime now)
    {
        var seed = username.Aggregate(17, (h, c) => unchecked((h * 31) + c));
        var random = new Random(seed);
        var accounts = new List<PlaidAccount>
        {
            new(AccountId(seed, 0), "Plaid Checking", "Plaid Gold Standard 0% Interest Checking", "0000", "depository", "checking", 110m, 100m, null),
            new(AccountId(seed, 1), "Plaid Saving", "Plaid Silver Standard 0.1% Interest Saving", "1111", "depository", "savings", 210m, 200m, null),
            new(AccountId(seed, 2), "Plaid Credit Card", "Plaid Diamond 12.5% APR Interest Credit Card", "3333", "credit", "credit card", 410m, null, 2000m),
        };
        var perWeek = PlaidHostedLink.Behaviour(username) == "user_big" ? 100 : 2;
        var days = Math.Clamp(daysRequested, 1, 730);
        var today = DateOnly.FromDateTime(now);
        var transactions = new List<PlaidTransaction>();
        for (var day = days - 1; day >= 0; day--)
        {
            var date = today.AddDays(-day);
            var count = perWeek / 7 + (random.Next(7) < perWeek % 7 ? 1 : 0);
            for (var n = 0; n < count; n++)
            {
                var kind = Spending[random.Next(Spending.Length)];
                var account = kind.Primary == "RENT_AND_UTILITIES" ? accounts[0] : accounts[random.Next(2) == 0 ? 0 : 2];
                var amount = Math.Round(kind.Min + (decimal)random.NextDouble() * (kind.Max - kind.Min), 2);
                transactions.Add(new PlaidTransaction
                {
                    Id = $"{seed:x8}{transactions.Count:x6}".PadRight(37, 'x'), AccountId = account.Id, Amount = amount, Date = date,
                    Name = kind.Name, MerchantName = kind.Merchant, Primary = kind.Primary, Detailed = kind.Detailed, Channel = kind.Channel,
                    Pending = day < 2, AddedVersion = 1, ModifiedVersion = 1,
                });
            }

            if (date.Day == 1)
            {
                transactions.Add(new PlaidTransaction
                {
                    Id = $"{seed:x8}{transactions.Count:x6}".PadRight(37, 'p'), AccountId = accounts[0].Id, Amount = -2500m, Date = date,
                    Name = "ACME PAYROLL", MerchantName = null, Primary = "INCOME", Detailed = "INCOME_WAGES", Channel = "other",
                    AddedVersion = 1, ModifiedVersion = 1,
                });
            }
        }

        return new PlaidItem
        {
            ItemId = PlaidState.Id(), AccessToken = $"access-sandbox-{Guid.NewGuid()}", Username = username, Institution = institution,
            Accounts = accounts, Transactions = transactions, Products = [.. products], Created = now,
            ConsentExpiration = institution.Country == "GB" ? now.AddDays(90) : null,
        };
    }

    private static string AccountId(int seed, int n) => string.Create(CultureInfo.InvariantCulture, $"{seed:x8}acct{n}").PadRight(37, 'A');
}
