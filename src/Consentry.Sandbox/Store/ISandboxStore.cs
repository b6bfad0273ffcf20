namespace Consentry.Sandbox.Store;

/// <summary>What the consent page approved: exchanged at most once, within its short lifetime.</summary>
internal sealed record AuthorizationCode(
    string Platform,
    string ClientId,
    string RedirectUri,
    string CodeChallenge,
    string Username,
    IReadOnlyList<string> Scopes,
    DateTimeOffset ConsentedAt,
    DateTimeOffset ExpiresAt);

/// <summary>One authorization of a client by a user at a platform; revoking it ends every token issued under it.</summary>
internal sealed record Grant(
    string Id,
    string Platform,
    string ClientId,
    string Username,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ConsentExpiresAt);

internal enum TokenKind
{
    Access,
    Refresh,
}

/// <summary>An issued token, known only by its hash. A refresh token is <see cref="Used"/> once rotated.</summary>
internal sealed record IssuedToken(
    TokenKind Kind,
    string GrantId,
    string ClientId,
    IReadOnlyList<string> Scopes,
    DateTimeOffset? ExpiresAt,
    bool Used = false,
    bool Revoked = false);

/// <summary>The code as stored, and the grant its first exchange created (or will create).</summary>
internal sealed record CodeRedemption(AuthorizationCode Code, string GrantId, bool Replayed);

/// <summary>
/// The authorization server's state. Every method is atomic, so concurrent exchanges of one code or one refresh token
/// cannot both win. Keys are SHA-256 hashes of codes and tokens: the values themselves are never stored.
/// </summary>
internal interface ISandboxStore
{
    void SaveCode(string codeHash, AuthorizationCode code);

    /// <summary>
    /// Marks the code used and assigns <paramref name="newGrantId"/> to it on the first call; later calls return the
    /// same grant id with <see cref="CodeRedemption.Replayed"/> set. Null for an unknown code.
    /// </summary>
    CodeRedemption? RedeemCode(string codeHash, string newGrantId);

    /// <summary>Saves the grant unless it was revoked in the meantime (a replayed code can revoke it first).</summary>
    void SaveGrant(Grant grant);

    /// <summary>The grant, or null when it is unknown or revoked.</summary>
    Grant? FindActiveGrant(string grantId);

    void RevokeGrant(string grantId);

    void SaveToken(string tokenHash, IssuedToken token);

    IssuedToken? FindToken(string tokenHash);

    /// <summary>Marks a refresh token used; false when it already was (someone is replaying it).</summary>
    bool TryUseRefreshToken(string tokenHash);

    void RevokeToken(string tokenHash);

    /// <summary>True the first time a one-off value (a submitted consent form) is seen; remembered until <paramref name="forgetAfter"/>.</summary>
    bool TryUseOnce(string key, DateTimeOffset forgetAfter);

    // Test controls (the control API), per platform and username: all in memory, all atomic.

    /// <summary>How the control API changed the user's collection (<see cref="CollectionOverlay.Empty"/> when untouched).</summary>
    CollectionOverlay FindOverlay(string platform, string username, string collection);

    /// <summary>Replaces the user's overlay of <paramref name="collection"/> with <paramref name="update"/>(current), atomically.</summary>
    (CollectionOverlay Before, CollectionOverlay After) UpdateOverlay(
        string platform, string username, string collection, Func<CollectionOverlay, CollectionOverlay> update);

    /// <summary>The next <paramref name="requests"/> data requests of the user answer 429 (0 clears).</summary>
    void SetRateLimit(string platform, string username, int requests, int retryAfterSeconds);

    /// <summary>Uses up one rate-limited request: its Retry-After seconds (and counts it), or null to answer normally.</summary>
    int? TakeRateLimit(string platform, string username);

    /// <summary>The next <paramref name="requests"/> data requests of the user fail with <paramref name="status"/> (5xx).</summary>
    void SetFailures(string platform, string username, int requests, int status);

    /// <summary>The status to fail this data request with, or null to serve it.</summary>
    int? TakeFailure(string platform, string username);

    /// <summary>The next <paramref name="requests"/> data requests of the user wait <paramref name="milliseconds"/> (0 clears).</summary>
    void SetLatency(string platform, string username, int milliseconds, int requests);

    /// <summary>Uses up one delayed request: how long it must wait (zero when none is pending).</summary>
    TimeSpan TakeLatency(string platform, string username);

    void CountDataRequest(string platform, string username);

    void CountTokenRefresh(string platform, string username);

    UserStats Stats(string platform, string username);

    /// <summary>Makes every live access token of the user's active grants at the platform expire at <paramref name="now"/>; how many.</summary>
    int ExpireAccessTokens(string platform, string username, DateTimeOffset now);

    /// <summary>Revokes every active grant of the user at the platform; how many.</summary>
    int RevokeGrants(string platform, string username);
}
