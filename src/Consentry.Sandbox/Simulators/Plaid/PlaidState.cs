using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Consentry.Sandbox.Simulators.Plaid;

/// <summary>The simulator's memory: link tokens and their sessions, public tokens, and items by access token.</summary>
internal sealed class PlaidState
{
    public ConcurrentDictionary<string, PlaidLinkToken> LinkTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Hosted Link session id (in the URL) → its link token.</summary>
    public ConcurrentDictionary<string, string> HostedSessions { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, PlaidItem> PublicTokens { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, PlaidItem> ItemsByAccessToken { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests answered, by path (for tests that check what the connector asked).</summary>
    public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    public PlaidItem? Item(string itemId) => ItemsByAccessToken.Values.FirstOrDefault(i => i.ItemId == itemId);

    public PlaidItem? LatestItemOf(string username) =>
        ItemsByAccessToken.Values.Where(i => i.Username == username).OrderByDescending(i => i.Created).FirstOrDefault();

    public static string Id(int bytes = 18) => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes)).ToLowerInvariant();
}

/// <summary>A link token: what <c>/link/token/create</c> was asked, and how its (one) Hosted Link session went.</summary>
internal sealed class PlaidLinkToken
{
    public required string Token { get; init; }

    public required string SessionId { get; init; }

    public required string CompletionRedirectUri { get; init; }

    public required string ClientName { get; init; }

    public required string Language { get; init; }

    public required List<string> CountryCodes { get; init; }

    public required List<string> Products { get; init; }

    public int DaysRequested { get; init; }

    /// <summary>Update mode: the item whose login is being repaired (the access token stays the same).</summary>
    public PlaidItem? UpdateItem { get; init; }

    public DateTime Created { get; init; }

    public DateTime Expiration { get; init; }

    public string? Username { get; set; }

    public string? InstitutionId { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>Set when the session succeeded: the public token (and the item it stands for).</summary>
    public string? PublicToken { get; set; }

    public PlaidItem? Result { get; set; }

    /// <summary>Set when the customer left: Plaid's exit status (<c>requires_credentials</c>…).</summary>
    public string? ExitStatus { get; set; }
}

/// <summary>A failure an item answers every data call with until repaired (update mode) or cleared.</summary>
internal sealed record PlaidItemError(string Type, string Code, string Message, string? DisplayMessage, string? Reason);

/// <summary>An Item: one login at one institution, with its accounts and transactions, and the failures switched on.</summary>
internal sealed class PlaidItem
{
    public required string ItemId { get; init; }

    public required string AccessToken { get; init; }

    public required string Username { get; init; }

    public required PlaidInstitution Institution { get; init; }

    public required List<PlaidAccount> Accounts { get; init; }

    public required List<PlaidTransaction> Transactions { get; init; }

    public required List<string> Products { get; init; }

    public DateTime Created { get; init; }

    public object Gate { get; } = new();

    /// <summary>Raised by every change; a <c>/transactions/sync</c> cursor remembers the version it has seen.</summary>
    public long Version { get; set; } = 1;

    public PlaidItemError? Error { get; set; }

    public DateTime? ConsentExpiration { get; set; }

    public bool Removed { get; set; }

    /// <summary>When set, the consent expires once this many more data calls have been answered (a consent that runs out during a read).</summary>
    public int? ConsentExpiresAfterCalls { get; set; }

    /// <summary>Statuses to answer the next data calls with (429 RATE_LIMIT_EXCEEDED, 500 INTERNAL_SERVER_ERROR).</summary>
    public Queue<int> Failures { get; } = new();
}

internal sealed record PlaidInstitution(string Id, string Name, string Country, string Currency);

internal sealed record PlaidAccount(string Id, string Name, string OfficialName, string Mask, string Type, string Subtype, decimal Current, decimal? Available, decimal? Limit);

/// <summary>A transaction with the item versions it was added, last changed, and removed at.</summary>
internal sealed class PlaidTransaction
{
    public required string Id { get; init; }

    public required string AccountId { get; init; }

    public decimal Amount { get; set; }

    public DateOnly Date { get; init; }

    public required string Name { get; set; }

    public string? MerchantName { get; init; }

    public required string Primary { get; init; }

    public required string Detailed { get; init; }

    public bool Pending { get; set; }

    public string Channel { get; init; } = "online";

    public long AddedVersion { get; init; }

    public long ModifiedVersion { get; set; }

    public long? RemovedVersion { get; set; }
}
