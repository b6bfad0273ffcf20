using Consentry.Core.Integrations;

namespace Consentry.Features.Link;

/// <summary>
/// The order of the platform lists: the platforms most small businesses use first (the customer finds theirs without
/// searching), then the rest by name. The list is ours, per category, from the platforms' market share in our regions.
/// </summary>
public static class PlatformOrder
{
    private static readonly string[] Popular =
    [
        "gbol", "qhyg", "tgff", "akxx", "qudb", // Xero, QuickBooks Online, Sage, NetSuite, Exact Online (NL)
        "suuo", "evqv",                         // Plaid, TrueLayer
        "fztf", "exgd", "zsth",                 // Shopify, Stripe, Square
    ];

    public static bool IsPopular(string platformKey) => Array.IndexOf(Popular, platformKey) >= 0;

    /// <summary>Popular platforms first (in the order above), then the others alphabetically; sandboxes last.</summary>
    public static IEnumerable<IntegrationDefinition> Sort(IEnumerable<IntegrationDefinition> integrations) =>
        integrations.OrderBy(i => i.IsSandbox ? 2 : IsPopular(i.PlatformKey) ? 0 : 1)
            .ThenBy(i => IsPopular(i.PlatformKey) ? Array.IndexOf(Popular, i.PlatformKey) : 0)
            .ThenBy(i => i.Name, StringComparer.OrdinalIgnoreCase);
}
