using System.Collections.Concurrent;

namespace Consentry.Sandbox.Simulators.TrueLayer;

/// <summary>
/// One connection of a user's bank to the app (TrueLayer's <c>credentials_id</c>): the scopes granted, the Open Banking
/// consent (90 days) and when the customer last authenticated at the bank (the SCA window for older history).
/// Re-authentication (<c>/v1/reauthuri</c>) renews the consent of this same grant.
/// </summary>
internal sealed class TrueLayerGrant(string username, TrueLayerProvider provider, IReadOnlyList<string> scopes, DateTime now, TimeSpan consentLifetime)
{
    public string Username { get; } = username;

    public TrueLayerProvider Provider { get; } = provider;

    public string CredentialsId { get; } = Guid.NewGuid().ToString();

    public IReadOnlyList<string> Scopes { get; } = scopes;

    public DateTime ConsentCreatedAt { get; set; } = now;

    public DateTime ConsentExpiresAt { get; set; } = now + consentLifetime;

    public DateTime AuthenticatedAt { get; set; } = now;

    /// <summary>The customer (or the app, <c>DELETE /api/delete</c>) ended the connection.</summary>
    public bool Revoked { get; set; }

    /// <summary>Set by the control API: the consent ends after this many more Data API calls (a consent that expires mid-read).</summary>
    public int? CallsUntilConsentEnds { get; set; }

    public bool ConsentExpired(DateTime now) => now >= ConsentExpiresAt;
}

/// <summary>An auth link being walked: the request, the bank chosen, the user signed in, and the grant a re-authentication renews.</summary>
internal sealed record TrueLayerAuthRequest(
    string ClientId, string RedirectUri, string? State, IReadOnlyList<string> Scopes, IReadOnlyList<TrueLayerProvider> Providers, DateTime ExpiresAt,
    TrueLayerProvider? Provider = null, string? Username = null, TrueLayerGrant? Reauthenticating = null);

internal sealed record TrueLayerCode(string ClientId, string RedirectUri, TrueLayerGrant Grant, DateTime ExpiresAt);

internal sealed record TrueLayerAccessToken(TrueLayerGrant Grant, DateTime ExpiresAt);

/// <summary>A refresh token: TrueLayer rotates them, so each works once.</summary>
internal sealed class TrueLayerRefreshToken(TrueLayerGrant grant)
{
    public TrueLayerGrant Grant { get; } = grant;

    public bool Used { get; set; }

    public bool Revoked { get; set; }
}

/// <summary>A failure the control API queued for a user's next Data API calls.</summary>
internal sealed record TrueLayerForcedFailure(int Status, string Error, string Description, int? RetryAfterSeconds);

/// <summary>Per user: the queued failures and the counters tests read.</summary>
internal sealed class TrueLayerUserState
{
    public object Gate { get; } = new();

    public Queue<TrueLayerForcedFailure> Failures { get; } = new();

    public Dictionary<string, int> CallsByEndpoint { get; } = new(StringComparer.Ordinal);

    public int Calls { get; set; }

    public int Refreshes { get; set; }

    /// <summary>Refresh tokens presented again after they were used: with rotation, a client bug that loses the grant.</summary>
    public int ReusedRefreshTokens { get; set; }

    public int Deletes { get; set; }
}

/// <summary>Everything the TrueLayer simulator remembers, in memory (as the sandboxes do).</summary>
internal sealed class TrueLayerState
{
    public ConcurrentDictionary<string, TrueLayerAuthRequest> Requests { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, TrueLayerCode> Codes { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, TrueLayerAccessToken> AccessTokens { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, TrueLayerRefreshToken> RefreshTokens { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, TrueLayerUserState> Users { get; } = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, Lazy<TrueLayerBank>> _banks = new(StringComparer.Ordinal);

    public TrueLayerUserState User(string username) => Users.GetOrAdd(username, _ => new TrueLayerUserState());

    /// <summary>A user's accounts, cards and transactions at a bank, generated on first use (anchored at that day).</summary>
    public TrueLayerBank Bank(string username, TrueLayerProvider provider, DateTime now) =>
        _banks.GetOrAdd($"{username}|{provider.Id}", _ => new Lazy<TrueLayerBank>(() => TrueLayerBank.Generate(username, provider, now))).Value;

    public IEnumerable<TrueLayerGrant> GrantsOf(string username) =>
        AccessTokens.Values.Select(t => t.Grant).Concat(RefreshTokens.Values.Select(t => t.Grant)).Where(g => g.Username == username).Distinct();
}
