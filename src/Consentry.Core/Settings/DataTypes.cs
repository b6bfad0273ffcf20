namespace Consentry.Core.Settings;

/// <summary>Codat's data types (the closed <c>DataType</c> enum of the Platform API) and our default sync settings.</summary>
public static class DataTypes
{
    public static readonly IReadOnlyList<string> All =
    [
        "accountTransactions", "balanceSheet", "bankAccounts", "bankTransactions", "billCreditNotes", "billPayments", "bills",
        "cashFlowStatement", "chartOfAccounts", "company", "creditNotes", "customers", "directCosts", "directIncomes",
        "invoices", "itemReceipts", "items", "journalEntries", "journals", "paymentMethods", "payments", "profitAndLoss",
        "purchaseOrders", "salesOrders", "suppliers", "taxRates", "trackingCategories", "transfers",
        "banking-accountBalances", "banking-accounts", "banking-transactionCategories", "banking-transactions",
        "commerce-companyInfo", "commerce-customers", "commerce-disputes", "commerce-locations", "commerce-orders",
        "commerce-paymentMethods", "commerce-payments", "commerce-productCategories", "commerce-products",
        "commerce-taxComponents", "commerce-transactions",
    ];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    /// <summary>Read on first link unless a client says otherwise: the types our sandboxes (and most apps) need.</summary>
    private static readonly HashSet<string> FetchedOnFirstLink = new(StringComparer.Ordinal)
    {
        "company", "chartOfAccounts", "customers", "invoices",
        "suppliers", "bills", "payments",
        "banking-accounts", "banking-accountBalances", "banking-transactions",
        "commerce-companyInfo", "commerce-customers", "commerce-products", "commerce-orders", "commerce-payments",
    };

    public static bool IsKnown(string dataType) => Known.Contains(dataType);

    public static SyncSettingsDocument Defaults() => new()
    {
        OverridesDefaults = false,
        Settings = [.. All.Select((d, i) => new SyncSetting
        {
            DataType = d,
            FetchOnFirstLink = FetchedOnFirstLink.Contains(d),
            SyncSchedule = 24,
            SyncOrder = i,
            MonthsToSync = 24,
        })],
    };
}
