using Consentry.Core.Tenancy;

namespace Consentry.Core.Link;

/// <summary>Whether an authorization began from a connection's <c>linkUrl</c> or inside the company Link journey.</summary>
public enum LinkJourneyKind
{
    Connection,
    Company,
}

/// <summary>
/// The server record of one OAuth 2.0 authorization in progress: the hashes of its <c>state</c> and of the browser
/// cookie it is bound to, the PKCE verifier (encrypted), the expected platform and redirect URI. Single use: it is
/// consumed by the first callback that presents it.
/// </summary>
public sealed class OAuthFlow : IClientOwned
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public Guid CompanyId { get; set; }

    public Guid ConnectionId { get; set; }

    public required string PlatformKey { get; set; }

    public required byte[] StateHash { get; set; }

    public required byte[] BrowserHash { get; set; }

    public required string ProtectedCodeVerifier { get; set; }

    public required string RedirectUri { get; set; }

    public LinkJourneyKind Journey { get; set; }

    /// <summary>The Link URL's own query parameters, for the redirect template's custom placeholders.</summary>
    public Dictionary<string, string> ReturnParameters { get; set; } = [];

    /// <summary>The account values of a per-account platform (e.g. the Shopify shop), for the token URL.</summary>
    public Dictionary<string, string> Account { get; set; } = [];

    /// <summary>What the customer agreed to before the hand-off; recorded in the ledger when the connection is linked.</summary>
    public Consents.ConsentCapture? Consent { get; set; }

    /// <summary>
    /// The platform accounts the grant covers, when there are several (Xero organisations) and the customer has not yet
    /// chosen one; the tokens wait, encrypted, with the connection meanwhile.
    /// </summary>
    public List<PendingPlatformAccount>? PendingAccounts { get; set; }

    /// <summary>
    /// For a platform that hands off without an OAuth redirect (Plaid's Hosted Link): what its session needs when the
    /// customer comes back (the link token), encrypted; null for OAuth 2.0.
    /// </summary>
    public string? ProtectedHandOff { get; set; }

    public DateTime Created { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? ConsumedAt { get; set; }
}

/// <summary>One account a grant covers, offered to the customer to choose (id, name, and the values a read needs).</summary>
public sealed record PendingPlatformAccount(string Id, string Name, Dictionary<string, string> Parameters);
