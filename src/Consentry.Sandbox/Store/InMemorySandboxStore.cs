namespace Consentry.Sandbox.Store;

/// <summary>
/// State in process memory behind one lock: enough for a simulator (a restart forgets every grant, and several
/// instances do not share it). Expired codes and access tokens are dropped as the store is written to.
/// </summary>
internal sealed partial class InMemorySandboxStore(TimeProvider time) : ISandboxStore
{
    private const int PurgeEvery = 1024;

    // Codes are kept a while after expiry so that a late replay still revokes what the first exchange issued.
    private static readonly TimeSpan CodeMemory = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (AuthorizationCode Code, string? GrantId)> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Grant> _grants = new(StringComparer.Ordinal);
    private readonly HashSet<string> _revokedGrants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _usedOnce = new(StringComparer.Ordinal);
    private int _writes;

    public void SaveCode(string codeHash, AuthorizationCode code)
    {
        lock (_gate)
        {
            _codes[codeHash] = (code, null);
            CountWrite();
        }
    }

    public CodeRedemption? RedeemCode(string codeHash, string newGrantId)
    {
        lock (_gate)
        {
            if (!_codes.TryGetValue(codeHash, out var entry))
            {
                return null;
            }

            if (entry.GrantId is { } earlier)
            {
                return new CodeRedemption(entry.Code, earlier, Replayed: true);
            }

            _codes[codeHash] = (entry.Code, newGrantId);
            return new CodeRedemption(entry.Code, newGrantId, Replayed: false);
        }
    }

    public void SaveGrant(Grant grant)
    {
        lock (_gate)
        {
            if (!_revokedGrants.Contains(grant.Id))
            {
                _grants[grant.Id] = grant;
            }
        }
    }

    public Grant? FindActiveGrant(string grantId)
    {
        lock (_gate)
        {
            return _grants.GetValueOrDefault(grantId);
        }
    }

    public void RevokeGrant(string grantId)
    {
        lock (_gate)
        {
            _revokedGrants.Add(grantId);
            _grants.Remove(grantId);
        }
    }

    public void SaveToken(string tokenHash, IssuedToken token)
    {
        lock (_gate)
        {
            _tokens[tokenHash] = token;
            CountWrite();
        }
    }

    public IssuedToken? FindToken(string tokenHash)
    {
        lock (_gate)
        {
            return _tokens.GetValueOrDefault(tokenHash);
        }
    }

    public bool TryUseRefreshToken(string tokenHash)
    {
        lock (_gate)
        {
            if (!_tokens.TryGetValue(tokenHash, out var token) || token.Used || token.Kind != TokenKind.Refresh)
            {
                return false;
            }

            _tokens[tokenHash] = token with { Used = true };
            return true;
        }
    }

    public void RevokeToken(string tokenHash)
    {
        lock (_gate)
        {
            if (_tokens.TryGetValue(tokenHash, out var token))
            {
                _tokens[tokenHash] = token with { Revoked = true };
            }
        }
    }

    public bool TryUseOnce(string key, DateTimeOffset forgetAfter)
    {
        lock (_gate)
        {
            if (!_usedOnce.TryAdd(key, forgetAfter))
            {
                return false;
            }

            CountWrite();
            return true;
        }
    }

    private void CountWrite()
    {
        if (++_writes % PurgeEvery == 0)
        {
            Purge(time.GetUtcNow());
        }
    }

    private void Purge(DateTimeOffset now)
    {
        foreach (var (hash, _) in _codes.Where(c => c.Value.Code.ExpiresAt + CodeMemory < now).ToList())
        {
            _codes.Remove(hash);
        }

        foreach (var (hash, _) in _tokens.Where(t => t.Value.ExpiresAt < now || !_grants.ContainsKey(t.Value.GrantId)).ToList())
        {
            _tokens.Remove(hash);
        }

        foreach (var (key, _) in _usedOnce.Where(u => u.Value < now).ToList())
        {
            _usedOnce.Remove(key);
        }
    }
}
