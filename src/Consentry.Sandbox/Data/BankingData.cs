namespace Consentry.Sandbox.Data;

/// <summary>The banking sandbox (sbbk): a few accounts, their balances and thousands of transactions.</summary>
internal static class BankingData
{
    private const int AccountTag = 11;
    private const int BalanceTag = 12;
    private const int TransactionTag = 13;
    private const int CategoryTag = 14;

    /// <summary>The transaction categories: income, then the merchants' categories in their first order.</summary>
    private static readonly string[] Categories = ["Income", .. Words.Merchants.Select(m => m.Category).Distinct()];

    private static readonly (string Name, string Type, string Currency)[] AccountKinds =
    [
        ("Business Current Account", "Current", "GBP"),
        ("Business Savings Account", "Savings", "GBP"),
        ("Business Credit Card", "CreditCard", "GBP"),
        ("Euro Business Account", "Current", "EUR"),
    ];

    // Accounts come from a fixed set of kinds, so the control API may change them but not add any; balances are derived.
    public static IReadOnlyList<DataEndpoint> Endpoints { get; } =
    [
        new CollectionEndpoint("accounts", "banking.accounts.read", AccountTag, AccountCount, (_, _) => DataWindow.Start, Account,
            CollectionControl.ChangeOnly),
        new CollectionEndpoint("balances", "banking.balances.read", BalanceTag, AccountCount, (_, _) => DataWindow.End, Balance,
            CollectionControl.None),
        new CollectionEndpoint("transactions", "banking.transactions.read", TransactionTag, TransactionCount, TransactionModified, Transaction),
        new CollectionEndpoint("categories", "banking.transactions.read", CategoryTag, _ => Categories.Length, (_, _) => DataWindow.Start, Category,
            CollectionControl.None),
    ];

    /// <summary>A category's id: its name as a slug, so a transaction names it without a lookup.</summary>
    private static string CategoryId(string name) => Words.Slug(name);

    private static object Category(UserSeed seed, int index, DateTime modified) => new
    {
        id = CategoryId(Categories[index]),
        name = Categories[index],
        status = "Active",
        modifiedDate = modified,
    };

    private static int AccountCount(UserSeed seed) => seed.Count(AccountTag, 2, AccountKinds.Length + 1);

    private static object Account(UserSeed seed, int index, DateTime modified)
    {
        var rng = seed.For(AccountTag, index);
        var id = rng.Guid();
        var (name, type, currency) = AccountKinds[index];
        var (current, available, limit) = Balances(seed, index);
        return new
        {
            id,
            name,
            type,
            currency,
            currentBalance = current,
            availableBalance = available,
            creditLimit = limit,
            sortCode = $"60-{rng.Digits(2)}-{rng.Digits(2)}",
            accountNumber = rng.Digits(8),
            status = "Open",
            openedDate = DataWindow.Seconds(DataWindow.Start.AddDays(-rng.Range(30, 2000))),
            modifiedDate = modified,
        };
    }

    private static object Balance(UserSeed seed, int index, DateTime modified)
    {
        var (current, available, limit) = Balances(seed, index);
        return new
        {
            accountId = seed.Id(AccountTag, index),
            currency = AccountKinds[index].Currency,
            current,
            available,
            creditLimit = limit,
            asOf = DataWindow.End,
            modifiedDate = modified,
        };
    }

    /// <summary>An account's balances at the window's end: the opening balance plus every transaction of the account.</summary>
    private static (decimal Current, decimal Available, decimal? Limit) Balances(UserSeed seed, int index)
    {
        var type = AccountKinds[index].Type;
        var opening = OpeningBalance(seed, index);
        var movement = 0m;
        var count = TransactionCount(seed);
        for (var i = 0; i < count; i++)
        {
            var t = TransactionCore(seed, i);
            if (t.Account == index)
            {
                movement += t.Amount;
            }
        }

        var current = opening + movement;
        var limit = type == "CreditCard" ? 10_000m : (decimal?)null;
        return (current, current + (limit ?? 0m), limit);
    }

    private static decimal OpeningBalance(UserSeed seed, int account) =>
        AccountKinds[account].Type == "CreditCard" ? 0m : seed.For(BalanceTag, account).Money(5_000, 60_000);

    private static int TransactionCount(UserSeed seed) => seed.Count(TransactionTag, 4000, 9000);

    private static DateTime TransactionModified(UserSeed seed, int index) => TransactionCore(seed, index).Modified;

    /// <summary>What balances and modifiedSince need, without building the whole record.</summary>
    private static (int Account, decimal Amount, DateTime Booked, DateTime Modified) TransactionCore(UserSeed seed, int index)
    {
        var rng = seed.For(TransactionTag + 100, index);
        var booked = DataWindow.Spread(index, TransactionCount(seed), ref rng);
        var modified = DataWindow.Clamp(booked.AddHours(rng.Int(72)));
        var accounts = AccountCount(seed);
        var roll = rng.Int(100);
        var account = roll < 70 || accounts == 1 ? 0 : 1 + (roll % (accounts - 1));
        var credit = rng.Chance(AccountKinds[account].Type == "CreditCard" ? 30 : 25);
        var amount = credit ? rng.Money(100, 2_800) : -rng.Money(2, 900);
        return (account, amount, DataWindow.Seconds(booked), DataWindow.Seconds(modified));
    }

    private static object Transaction(UserSeed seed, int index, DateTime modified)
    {
        var core = TransactionCore(seed, index);
        var rng = seed.For(TransactionTag, index);
        var id = rng.Guid();
        var merchant = rng.Pick(Words.Merchants);
        var credit = core.Amount > 0;
        return new
        {
            id,
            accountId = seed.Id(AccountTag, core.Account),
            bookingDate = core.Booked,
            amount = core.Amount,
            currency = AccountKinds[core.Account].Currency,
            type = credit ? "Credit" : "Debit",
            description = credit ? $"Payment from {Words.CompanyName(ref rng)}" : $"Card payment to {merchant.Name}",
            merchantName = credit ? null : merchant.Name,
            category = credit ? "Income" : merchant.Category,
            categoryId = CategoryId(credit ? "Income" : merchant.Category),
            status = "Booked",
            // Drawn last, so the fields above stay what they were before it existed.
            authorizedDate = credit ? core.Booked : core.Booked.AddHours(-rng.Range(1, 48)),
            modifiedDate = modified,
        };
    }
}
