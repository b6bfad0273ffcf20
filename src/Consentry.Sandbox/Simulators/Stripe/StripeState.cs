using System.Collections.Concurrent;

namespace Consentry.Sandbox.Simulators.Stripe;

internal sealed record StripeAuthorizationRequest(string ClientId, string RedirectUri, string? State, string Scope, DateTime ExpiresAt, string? Username = null);

internal sealed record StripeCode(string ClientId, string Username, string Scope, DateTime ExpiresAt);

/// <summary>An account connected to the platform through Connect OAuth, with the scope the user granted.</summary>
internal sealed record StripeConnection(string Username, string AccountId, string Scope);

/// <summary>A failure queued by a test for the account's next API calls.</summary>
internal sealed record StripeForcedFailure(int Status, string? Code);

/// <summary>Everything the Stripe simulator remembers, in memory (as the sandboxes do).</summary>
internal sealed class StripeState
{
    public ConcurrentDictionary<string, StripeAuthorizationRequest> Requests { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, StripeCode> Codes { get; } = new(StringComparer.Ordinal);

    /// <summary>The accounts connected to the platform, by account id (deauthorizing removes one).</summary>
    public ConcurrentDictionary<string, StripeConnection> Connected { get; } = new(StringComparer.Ordinal);

    /// <summary>The access tokens Connect issued (Stripe's legacy per-account secret keys), to their account id.</summary>
    public ConcurrentDictionary<string, string> AccessTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Refresh tokens, to their account id (Stripe's do not rotate).</summary>
    public ConcurrentDictionary<string, string> RefreshTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Restricted keys the account owner rolled (revoked): Stripe answers <c>api_key_expired</c>.</summary>
    public ConcurrentDictionary<string, bool> ExpiredKeys { get; } = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, Lazy<StripeAccountData>> _accounts = new(StringComparer.Ordinal);

    /// <summary>The user's account and its data, generated on first use.</summary>
    public StripeAccountData Account(string username) =>
        _accounts.GetOrAdd(username, u => new Lazy<StripeAccountData>(() => StripeDataGenerator.Generate(u))).Value;

    /// <summary>Ends the platform's access to an account: its connection and every token Connect issued for it.</summary>
    public bool Deauthorize(string accountId)
    {
        var removed = Connected.TryRemove(accountId, out _);
        foreach (var token in AccessTokens.Where(t => t.Value == accountId).Select(t => t.Key).ToList())
        {
            AccessTokens.TryRemove(token, out _);
        }

        foreach (var token in RefreshTokens.Where(t => t.Value == accountId).Select(t => t.Key).ToList())
        {
            RefreshTokens.TryRemove(token, out _);
        }

        return removed;
    }
}
