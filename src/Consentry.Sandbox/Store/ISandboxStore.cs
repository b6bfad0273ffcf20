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
}
