using System.Globalization;
using System.Text.Json.Nodes;
using Consentry.Sandbox.Data;

namespace Consentry.Sandbox.Simulators.QuickBooks;

/// <summary>How many records of each entity one simulated QuickBooks company holds.</summary>
internal sealed record CompanySize(int Accounts, int Customers, int Vendors, int Invoices, int Bills, int Payments)
{
    /// <summary>Small enough for tests that read everything: <c>user_good</c>, <c>user_multi</c>.</summary>
    public static readonly CompanySize Small = new(20, 30, 10, 60, 25, 40);

    /// <summary>The benchmark's small business (<c>user_big</c>): 5,000 invoices, 1,000 contacts, 200 accounts.</summary>
    public static readonly CompanySize Big = new(200, 800, 200, 5000, 1000, 2000);
}

/// <summary>
/// Generates one QuickBooks company's records in Intuit's own JSON shape (minorversion 75): the same user and company
/// always get the same records (only the timestamps are relative to when the company is first asked for, so that Change
/// Data Capture's 30-day look-back holds).
/// </summary>
internal static class QuickBooksData
{
    public static readonly string[] Entities = ["Account", "Customer", "Vendor", "Invoice", "Bill", "Payment"];

    private static readonly (string Name, string Classification, string Type, string SubType)[] AccountKinds =
    [
        ("Business Current Account", "Asset", "Bank", "Checking"),
        ("Accounts Receivable (A/R)", "Asset", "Accounts Receivable", "AccountsReceivable"),
        ("Accounts Payable (A/P)", "Liability", "Accounts Payable", "AccountsPayable"),
        ("Sales", "Revenue", "Income", "SalesOfProductIncome"),
        ("Services", "Revenue", "Income", "ServiceFeeIncome"),
        ("Rent", "Expense", "Expense", "RentOrLeaseOfBuildings"),
        ("Utilities", "Expense", "Expense", "Utilities"),
        ("Office Supplies", "Expense", "Expense", "OfficeGeneralAdministrativeExpenses"),
        ("Retained Earnings", "Equity", "Equity", "RetainedEarnings"),
        ("VAT Control", "Liability", "Other Current Liability", "GlobalTaxPayable"),
    ];

    public static string Timestamp(DateTimeOffset at) =>
        at.ToOffset(TimeSpan.FromHours(-8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static JsonObject CompanyInfo(UserSeed seed, string realmId, string name, DateTimeOffset origin)
    {
        var rng = seed.For(100, 0);
        var city = rng.Pick(Words.Cities);
        var address = new JsonObject
        {
            ["Id"] = "1", ["Line1"] = $"{rng.Range(1, 200)} {rng.Pick(Words.Streets)}", ["City"] = city,
            ["Country"] = "GB", ["PostalCode"] = $"AB{rng.Range(1, 99)} {rng.Range(1, 9)}CD",
        };
        return new JsonObject
        {
            ["CompanyName"] = name,
            ["LegalName"] = name + " Ltd",
            ["CompanyAddr"] = address,
            ["CustomerCommunicationAddr"] = address.DeepClone(),
            ["LegalAddr"] = address.DeepClone(),
            ["PrimaryPhone"] = new JsonObject { ["FreeFormNumber"] = "020 " + rng.Digits(4) + " " + rng.Digits(4) },
            ["CompanyStartDate"] = "2015-06-01",
            ["FiscalYearStartMonth"] = "April",
            ["Country"] = "GB",
            ["Email"] = new JsonObject { ["Address"] = "accounts@example.com" },
            ["WebAddr"] = new JsonObject { ["URI"] = "https://www.example.com" },
            ["SupportedLanguages"] = "en",
            ["NameValue"] = new JsonArray(new JsonObject { ["Name"] = "NeoEnabled", ["Value"] = "true" }),
            ["domain"] = "QBO",
            ["sparse"] = false,
            ["Id"] = "1",
            ["SyncToken"] = "4",
            ["MetaData"] = Meta(origin.AddYears(-3), origin.AddDays(-30)),
        };
    }

    /// <summary>All records of <paramref name="entity"/>, ordered by Id (numeric, as Intuit orders by default).</summary>
    public static List<JsonObject> Generate(string entity, UserSeed seed, CompanySize size, DateTimeOffset origin) => entity switch
    {
        "Account" => [.. Enumerable.Range(1, size.Accounts).Select(i => Account(seed, i, origin))],
        "Customer" => [.. Enumerable.Range(1, size.Customers).Select(i => Contact(seed, 1, i, origin))],
        "Vendor" => [.. Enumerable.Range(1, size.Vendors).Select(i => Contact(seed, 2, i, origin))],
        "Invoice" => [.. Enumerable.Range(1, size.Invoices).Select(i => Invoice(seed, size, i, origin))],
        "Bill" => [.. Enumerable.Range(1, size.Bills).Select(i => Bill(seed, size, i, origin))],
        "Payment" => [.. Enumerable.Range(1, size.Payments).Select(i => Payment(seed, size, i, origin))],
        _ => [],
    };

    private static JsonObject Meta(DateTimeOffset created, DateTimeOffset updated) =>
        new() { ["CreateTime"] = Timestamp(created), ["LastUpdatedTime"] = Timestamp(updated) };

    /// <summary>Last updated some seconds to 20 days before the company was first read; created up to a year before that.</summary>
    private static (DateTimeOffset Created, DateTimeOffset Updated) Times(ref Rng rng, DateTimeOffset origin)
    {
        var updated = origin.AddSeconds(-rng.Range(60, 20 * 86_400));
        return (updated.AddDays(-rng.Range(0, 365)), updated);
    }

    private static JsonObject Currency => new() { ["value"] = "GBP", ["name"] = "British Pound Sterling" };

    private static JsonObject Account(UserSeed seed, int i, DateTimeOffset origin)
    {
        var rng = seed.For(1, i);
        var kind = AccountKinds[(i - 1) % AccountKinds.Length];
        var name = i <= AccountKinds.Length ? kind.Name : $"{kind.Name} {i}";
        var (created, updated) = Times(ref rng, origin);
        return new JsonObject
        {
            ["Name"] = name,
            ["SubAccount"] = false,
            ["FullyQualifiedName"] = name,
            ["Active"] = i <= AccountKinds.Length || !rng.Chance(10),
            ["Classification"] = kind.Classification,
            ["AccountType"] = kind.Type,
            ["AccountSubType"] = kind.SubType,
            ["AcctNum"] = (1000 + i * 10).ToString(CultureInfo.InvariantCulture),
            ["CurrentBalance"] = kind.Classification is "Asset" or "Liability" or "Equity" ? rng.Money(0, 50_000) : 0m,
            ["CurrentBalanceWithSubAccounts"] = 0m,
            ["CurrencyRef"] = Currency,
            ["domain"] = "QBO",
            ["sparse"] = false,
            ["Id"] = i.ToString(CultureInfo.InvariantCulture),
            ["SyncToken"] = "0",
            ["MetaData"] = Meta(created, updated),
        };
    }

    /// <summary>Customers (<paramref name="tag"/> 1) and vendors (2) share a shape.</summary>
    private static JsonObject Contact(UserSeed seed, int tag, int i, DateTimeOffset origin)
    {
        var rng = seed.For(tag, i);
        var company = $"{rng.Pick(Words.CompanyFirst)} {rng.Pick(Words.CompanySecond)} {i}";
        var (given, family) = (rng.Pick(Words.FirstNames), rng.Pick(Words.LastNames));
        var (created, updated) = Times(ref rng, origin);
        var record = new JsonObject
        {
            ["GivenName"] = given,
            ["FamilyName"] = family,
            ["CompanyName"] = company,
            ["DisplayName"] = company,
            ["PrintOnCheckName"] = company,
            ["Active"] = !rng.Chance(8),
            ["PrimaryPhone"] = new JsonObject { ["FreeFormNumber"] = "0161 " + rng.Digits(3) + " " + rng.Digits(4) },
            ["PrimaryEmailAddr"] = new JsonObject { ["Address"] = $"{given.ToLowerInvariant()}@example.com" },
            ["BillAddr"] = new JsonObject
            {
                ["Id"] = (i + 100).ToString(CultureInfo.InvariantCulture), ["Line1"] = $"{rng.Range(1, 300)} {rng.Pick(Words.Streets)}",
                ["City"] = rng.Pick(Words.Cities), ["CountrySubDivisionCode"] = "ENG", ["PostalCode"] = $"M{rng.Range(1, 40)} {rng.Range(1, 9)}AB",
            },
            ["Balance"] = rng.Money(0, 5_000),
            ["CurrencyRef"] = Currency,
            ["domain"] = "QBO",
            ["sparse"] = false,
            ["Id"] = i.ToString(CultureInfo.InvariantCulture),
            ["SyncToken"] = "0",
            ["MetaData"] = Meta(created, updated),
        };
        if (tag == 1)
        {
            record["Taxable"] = true;
            record["Job"] = false;
            record["BillWithParent"] = false;
        }

        return record;
    }

    private static JsonObject Invoice(UserSeed seed, CompanySize size, int i, DateTimeOffset origin)
    {
        var rng = seed.For(3, i);
        var customer = rng.Range(1, size.Customers + 1);
        var (created, updated) = Times(ref rng, origin);
        var lines = new JsonArray();
        var subTotal = 0m;
        var count = rng.Range(1, 4);
        for (var n = 1; n <= count; n++)
        {
            var (price, qty) = (rng.Money(10, 800), rng.Range(1, 6));
            subTotal += price * qty;
            lines.Add(new JsonObject
            {
                ["Id"] = n.ToString(CultureInfo.InvariantCulture), ["LineNum"] = n, ["Description"] = rng.Pick(Words.Services),
                ["Amount"] = price * qty, ["DetailType"] = "SalesItemLineDetail",
                ["SalesItemLineDetail"] = new JsonObject
                {
                    ["ItemRef"] = new JsonObject { ["value"] = "1", ["name"] = "Services" }, ["UnitPrice"] = price, ["Qty"] = qty,
                    ["TaxCodeRef"] = new JsonObject { ["value"] = "2" },
                },
            });
        }

        lines.Add(new JsonObject { ["Amount"] = subTotal, ["DetailType"] = "SubTotalLineDetail", ["SubTotalLineDetail"] = new JsonObject() });
        var tax = Math.Round(subTotal * 0.2m, 2);
        var total = subTotal + tax;
        var paid = rng.Int(10);
        var balance = paid < 4 ? 0m : paid < 6 ? Math.Round(total / 2, 2) : total;
        var txnDate = created.UtcDateTime.Date;
        return new JsonObject
        {
            ["AllowOnlineCreditCardPayment"] = false,
            ["Deposit"] = 0,
            ["domain"] = "QBO",
            ["sparse"] = false,
            ["Id"] = i.ToString(CultureInfo.InvariantCulture),
            ["SyncToken"] = "0",
            ["MetaData"] = Meta(created, updated),
            ["DocNumber"] = (1000 + i).ToString(CultureInfo.InvariantCulture),
            ["TxnDate"] = txnDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["CurrencyRef"] = Currency,
            ["Line"] = lines,
            ["TxnTaxDetail"] = new JsonObject { ["TotalTax"] = tax },
            ["CustomerRef"] = new JsonObject { ["value"] = customer.ToString(CultureInfo.InvariantCulture), ["name"] = $"Customer {customer}" },
            ["SalesTermRef"] = new JsonObject { ["value"] = "3" },
            ["DueDate"] = txnDate.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["TotalAmt"] = total,
            ["PrintStatus"] = "NotSet",
            ["EmailStatus"] = "NotSet",
            ["Balance"] = balance,
        };
    }

    private static JsonObject Bill(UserSeed seed, CompanySize size, int i, DateTimeOffset origin)
    {
        var rng = seed.For(4, i);
        var vendor = rng.Range(1, size.Vendors + 1);
        var (created, updated) = Times(ref rng, origin);
        var amount = rng.Money(20, 3_000);
        var txnDate = created.UtcDateTime.Date;
        var paid = rng.Int(10);
        return new JsonObject
        {
            ["DueDate"] = txnDate.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Balance"] = paid < 5 ? 0m : paid < 7 ? Math.Round(amount / 3, 2) : amount,
            ["domain"] = "QBO",
            ["sparse"] = false,
            ["Id"] = i.ToString(CultureInfo.InvariantCulture),
            ["SyncToken"] = "0",
            ["MetaData"] = Meta(created, updated),
            ["DocNumber"] = $"B-{2000 + i}",
            ["TxnDate"] = txnDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["CurrencyRef"] = Currency,
            ["Line"] = new JsonArray(new JsonObject
            {
                ["Id"] = "1", ["Description"] = rng.Pick(Words.Services), ["Amount"] = amount,
                ["DetailType"] = "AccountBasedExpenseLineDetail",
                ["AccountBasedExpenseLineDetail"] = new JsonObject
                {
                    ["AccountRef"] = new JsonObject { ["value"] = "6", ["name"] = "Rent" }, ["BillableStatus"] = "NotBillable",
                    ["TaxCodeRef"] = new JsonObject { ["value"] = "NON" },
                },
            }),
            ["VendorRef"] = new JsonObject { ["value"] = vendor.ToString(CultureInfo.InvariantCulture), ["name"] = $"Vendor {vendor}" },
            ["APAccountRef"] = new JsonObject { ["value"] = "3", ["name"] = "Accounts Payable (A/P)" },
            ["TotalAmt"] = amount,
        };
    }

    private static JsonObject Payment(UserSeed seed, CompanySize size, int i, DateTimeOffset origin)
    {
        var rng = seed.For(5, i);
        var invoice = rng.Range(1, size.Invoices + 1);
        var customer = rng.Range(1, size.Customers + 1);
        var (created, updated) = Times(ref rng, origin);
        var amount = rng.Money(10, 2_000);
        return new JsonObject
        {
            ["CustomerRef"] = new JsonObject { ["value"] = customer.ToString(CultureInfo.InvariantCulture), ["name"] = $"Customer {customer}" },
            ["DepositToAccountRef"] = new JsonObject { ["value"] = "1" },
            ["PaymentMethodRef"] = new JsonObject { ["value"] = rng.Chance(50) ? "1" : "2" },
            ["PaymentRefNum"] = rng.Digits(6),
            ["TotalAmt"] = amount,
            ["UnappliedAmt"] = 0,
            ["ProcessPayment"] = false,
            ["domain"] = "QBO",
            ["sparse"] = false,
            ["Id"] = i.ToString(CultureInfo.InvariantCulture),
            ["SyncToken"] = "0",
            ["MetaData"] = Meta(created, updated),
            ["TxnDate"] = created.UtcDateTime.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["CurrencyRef"] = Currency,
            ["Line"] = new JsonArray(new JsonObject
            {
                ["Amount"] = amount,
                ["LinkedTxn"] = new JsonArray(new JsonObject { ["TxnId"] = invoice.ToString(CultureInfo.InvariantCulture), ["TxnType"] = "Invoice" }),
            }),
        };
    }
}
