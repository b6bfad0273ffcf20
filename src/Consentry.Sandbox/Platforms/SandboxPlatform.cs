using Consentry.Sandbox.Data;

namespace Consentry.Sandbox.Platforms;

/// <summary>A scope the platform grants, with the plain words the consent page shows for it.</summary>
internal sealed record SandboxScope(string Name, string Description);

/// <summary>One simulated platform: its OAuth scopes and the data endpoints those scopes open.</summary>
internal sealed record SandboxPlatform(
    string Key,
    string Name,
    string Category,
    string BrandColor,
    string Initials,
    IReadOnlyList<SandboxScope> Scopes,
    IReadOnlyList<DataEndpoint> Endpoints,
    bool ConsentExpires)
{
    public SandboxScope? FindScope(string name) => Scopes.FirstOrDefault(s => s.Name == name);
}

/// <summary>The three built-in platforms; keys match the sandbox entries of Consentry's integration catalogue.</summary>
internal static class SandboxPlatforms
{
    public const string OfflineAccess = "offline_access";

    private static readonly SandboxScope Offline =
        new(OfflineAccess, "Keep this access while you are not using the app, until you revoke it");

    public static SandboxPlatform Accounting { get; } = new(
        "sbac",
        "Consentry Sandbox Accounting",
        "Accounting",
        "#4F46E5",
        "CA",
        [
            Offline,
            new("accounting.company.read", "See your company's name, registration number and address"),
            new("accounting.accounts.read", "See your chart of accounts and account balances"),
            new("accounting.customers.read", "See your customers and their contact details"),
            new("accounting.invoices.read", "See your sales invoices and whether they are paid"),
        ],
        AccountingData.Endpoints,
        ConsentExpires: false);

    public static SandboxPlatform Banking { get; } = new(
        "sbbk",
        "Consentry Sandbox Bank",
        "Banking",
        "#0F766E",
        "CB",
        [
            Offline,
            new("banking.accounts.read", "See your bank accounts: names, types and account numbers"),
            new("banking.balances.read", "See the balances of your bank accounts"),
            new("banking.transactions.read", "See the transactions on your bank accounts"),
        ],
        BankingData.Endpoints,
        ConsentExpires: true);

    public static SandboxPlatform Commerce { get; } = new(
        "sbcm",
        "Consentry Sandbox Commerce",
        "Commerce",
        "#B45309",
        "CC",
        [
            Offline,
            new("commerce.company.read", "See your shop's name, currency and website"),
            new("commerce.customers.read", "See your shop's customers"),
            new("commerce.products.read", "See your products, prices and stock levels"),
            new("commerce.orders.read", "See your orders"),
            new("commerce.payments.read", "See the payments taken for your orders"),
        ],
        CommerceData.Endpoints,
        ConsentExpires: false);

    public static IReadOnlyList<SandboxPlatform> All { get; } = [Accounting, Banking, Commerce];
}
