namespace Consentry.Sandbox.Data;

/// <summary>The accounting sandbox (sbac): a company, its chart of accounts, customers and sales invoices.</summary>
internal static class AccountingData
{
    private const int CompanyTag = 1;
    private const int AccountTag = 2;
    private const int CustomerTag = 3;
    private const int InvoiceTag = 4;
    private const decimal VatRate = 0.20m;

    private static readonly (string Name, string Type)[] Chart =
    [
        ("Business Current Account", "Asset"), ("Savings Account", "Asset"), ("Petty Cash", "Asset"),
        ("Accounts Receivable", "Asset"), ("Office Equipment", "Asset"), ("Computer Equipment", "Asset"),
        ("Prepayments", "Asset"), ("Inventory", "Asset"),
        ("Accounts Payable", "Liability"), ("VAT Control", "Liability"), ("PAYE Payable", "Liability"),
        ("Company Credit Card", "Liability"), ("Bank Loan", "Liability"), ("Accruals", "Liability"),
        ("Share Capital", "Equity"), ("Retained Earnings", "Equity"), ("Owner Drawings", "Equity"),
        ("Sales", "Income"), ("Services Revenue", "Income"), ("Interest Income", "Income"), ("Other Income", "Income"),
        ("Rent", "Expense"), ("Utilities", "Expense"), ("Wages and Salaries", "Expense"), ("Advertising", "Expense"),
        ("Travel", "Expense"), ("Software Subscriptions", "Expense"), ("Bank Fees", "Expense"), ("Insurance", "Expense"),
        ("Telephone and Internet", "Expense"), ("Professional Fees", "Expense"), ("Repairs", "Expense"),
        ("Postage", "Expense"), ("Entertainment", "Expense"), ("Motor Expenses", "Expense"),
    ];

    private static readonly int[] IncomeAccounts =
        [.. Enumerable.Range(0, Chart.Length).Where(i => Chart[i].Type == "Income")];

    public static IReadOnlyList<DataEndpoint> Endpoints { get; } =
    [
        new SingleEndpoint("company", "accounting.company.read", Company),
        new CollectionEndpoint("accounts", "accounting.accounts.read", AccountTag, AccountCount, AccountModified, Account),
        new CollectionEndpoint("customers", "accounting.customers.read", CustomerTag, CustomerCount, CustomerModified, Customer),
        new CollectionEndpoint("invoices", "accounting.invoices.read", InvoiceTag, InvoiceCount, InvoiceModified, Invoice),
    ];

    private static object Company(UserSeed seed)
    {
        var rng = seed.For(CompanyTag, 0);
        var id = rng.Guid();
        var name = Words.CompanyName(ref rng);
        var created = DataWindow.Seconds(DataWindow.Start.AddDays(-rng.Range(30, 1500)));
        return new
        {
            id,
            name,
            legalName = name,
            registrationNumber = "0" + rng.Digits(7),
            taxNumber = "GB" + rng.Digits(9),
            baseCurrency = "GBP",
            financialYearStartMonth = 4,
            address = Words.Address(ref rng),
            phone = Words.Phone(ref rng),
            website = $"https://{Words.Slug(name)}.example",
            createdDate = created,
            modifiedDate = DataWindow.End,
        };
    }

    private static int AccountCount(UserSeed seed) => seed.Count(AccountTag, 60, 160);

    private static DateTime AccountModified(UserSeed seed, int index)
    {
        var rng = seed.For(AccountTag + 100, index);
        return DataWindow.Seconds(DataWindow.Start.AddTicks((long)(rng.Next() % (ulong)DataWindow.Length.Ticks)));
    }

    private static object Account(UserSeed seed, int index, DateTime modified)
    {
        var rng = seed.For(AccountTag, index);
        var id = rng.Guid();
        var (name, type) = Chart[index % Chart.Length];
        var round = index / Chart.Length;
        return new
        {
            id,
            nominalCode = (1000 + (index * 10)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            name = round == 0 ? name : $"{name} {round + 1}",
            type,
            status = rng.Chance(5) ? "Archived" : "Active",
            currency = "GBP",
            currentBalance = rng.Money(0, 250_000),
            modifiedDate = modified,
        };
    }

    private static int CustomerCount(UserSeed seed) => seed.Count(CustomerTag, 900, 2000);

    private static DateTime CustomerModified(UserSeed seed, int index) => CustomerDates(seed, index).Modified;

    private static (DateTime Created, DateTime Modified) CustomerDates(UserSeed seed, int index)
    {
        var rng = seed.For(CustomerTag + 100, index);
        var created = DataWindow.Spread(index, CustomerCount(seed), ref rng);
        return (DataWindow.Seconds(created), DataWindow.Seconds(DataWindow.Clamp(created.AddDays(rng.Int(120)))));
    }

    private static object Customer(UserSeed seed, int index, DateTime modified)
    {
        var rng = seed.For(CustomerTag, index);
        var id = rng.Guid();
        var name = Words.CompanyName(ref rng);
        var first = rng.Pick(Words.FirstNames);
        var last = rng.Pick(Words.LastNames);
        return new
        {
            id,
            customerName = name,
            contactName = $"{first} {last}",
            emailAddress = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@{Words.Slug(name)}.example",
            phone = Words.Phone(ref rng),
            address = Words.Address(ref rng),
            status = rng.Chance(4) ? "Archived" : "Active",
            defaultCurrency = "GBP",
            createdDate = CustomerDates(seed, index).Created,
            modifiedDate = modified,
        };
    }

    private static int InvoiceCount(UserSeed seed) => seed.Count(InvoiceTag, 2500, 5000);

    private static DateTime InvoiceModified(UserSeed seed, int index) => InvoiceDates(seed, index).Modified;

    private static (DateTime Issued, DateTime Modified) InvoiceDates(UserSeed seed, int index)
    {
        var rng = seed.For(InvoiceTag + 100, index);
        var issued = DataWindow.Spread(index, InvoiceCount(seed), ref rng);
        return (DataWindow.Seconds(issued), DataWindow.Seconds(DataWindow.Clamp(issued.AddDays(rng.Int(45)))));
    }

    private static object Invoice(UserSeed seed, int index, DateTime modified)
    {
        var rng = seed.For(InvoiceTag, index);
        var id = rng.Guid();
        var issued = InvoiceDates(seed, index).Issued;
        var due = issued.AddDays(30);
        var lines = Enumerable.Range(0, rng.Range(1, 5)).Select(_ =>
        {
            var quantity = rng.Range(1, 11);
            var unit = rng.Money(10, 500);
            return new
            {
                description = rng.Pick(Words.Services),
                quantity,
                unitAmount = unit,
                subTotal = quantity * unit,
                accountId = seed.Id(AccountTag, rng.Pick(IncomeAccounts)),
            };
        }).ToList();
        var subTotal = lines.Sum(l => l.subTotal);
        var tax = decimal.Round(subTotal * VatRate, 2);
        var total = subTotal + tax;
        var roll = rng.Int(100);
        var status = due > DataWindow.End ? "Submitted"
            : roll < 80 ? "Paid"
            : roll < 85 ? "PartiallyPaid"
            : roll < 88 ? "Void"
            : "Submitted";
        var amountDue = status switch
        {
            "Paid" or "Void" => 0m,
            "PartiallyPaid" => decimal.Round(total / 2, 2),
            _ => total,
        };
        return new
        {
            id,
            invoiceNumber = $"INV-{index + 1:D5}",
            customerId = seed.Id(CustomerTag, rng.Int(CustomerCount(seed))),
            issueDate = issued,
            dueDate = due,
            currency = "GBP",
            lineItems = lines,
            subTotal,
            totalTaxAmount = tax,
            totalAmount = total,
            amountDue,
            status,
            modifiedDate = modified,
        };
    }
}
