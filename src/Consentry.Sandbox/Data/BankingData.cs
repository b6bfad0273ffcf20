namespace Consentry.Sandbox.Data;

/// <summary>The banking sandbox (sbbk): a few accounts, their balances and thousands of transactions.</summary>
internal static class BankingData
{
    private const int AccountTag = 11;
    private const int BalanceTag = 12;
    private const int TransactionTag = 13;

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
    ];

    private static int AccountCount(UserSeed seed) => seed.Count(AccountTag, 2, AccountKinds.Length + 1);

    private static object Account(UserSeed seed, int index, DateTime modified)
    {
        var rng = seed.For(AccountTag, index);
        var id = rng.Guid();
        var (name, type, currency) = AccountKinds[index];
        return new
        {
            id,
            name,
            type,
            currency,
            sortCode = $"60-{rng.Digits(2)}-{rng.Digits(2)}",
            accountNumber = rng.Digits(8),
            status = "Open",
            openedDate = DataWindow.Seconds(DataWindow.Start.AddDays(-rng.Range(30, 2000))),
            modifiedDate = modified,
        };
    }

    private static object Balance(UserSeed seed, int index, DateTime modified)
    {
        var (_, type, currency) = AccountKinds[index];
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
        return new
        {
            accountId = seed.Id(AccountTag, index),
            currency,
            current,
            available = current + (limit ?? 0m),
            creditLimit = limit,
            asOf = DataWindow.End,
            modifiedDate = modified,
        };
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
            status = "Booked",
            modifiedDate = modified,
        };
    }
}
