using System.Collections.Concurrent;
using Consentry.Sandbox.OAuth;

namespace Consentry.Sandbox.Simulators.QuickBooks;

/// <summary>An authorization request between the App Center's pages: who the app is, where to go back, and who signed in.</summary>
internal sealed record PendingAuthorization(string RedirectUri, string? State, string Scope, DateTimeOffset Expires)
{
    public string? Username { get; set; }
}

/// <summary>One app's grant on one company: Intuit issues tokens per (user, app, realm).</summary>
internal sealed class QuickBooksGrant(string username, string realmId, string scope)
{
    public string Username => username;

    public string RealmId => realmId;

    public string Scope => scope;

    public bool Revoked { get; set; }

    /// <summary>The one refresh token that works now (Intuit: "always use the latest refresh token").</summary>
    public string RefreshToken { get; set; } = "";

    public DateTimeOffset RefreshExpires { get; set; }
}

/// <summary>
/// Codes, grants and tokens in memory. Tokens are looked up by hash, so a token means only what this store says.
/// Lifetimes as Intuit documents them: codes 5 minutes (single use), access tokens 3,600 s, refresh tokens 100 days
/// (rolling: each refresh answers a refresh token good for another 100 days).
/// </summary>
internal sealed class QuickBooksAuthState(TimeProvider time)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan AccessLifetime = TimeSpan.FromSeconds(3600);
    public static readonly TimeSpan RefreshLifetime = TimeSpan.FromDays(100);

    private readonly ConcurrentDictionary<string, PendingAuthorization> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (QuickBooksGrant Grant, string RedirectUri, DateTimeOffset Expires)> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, QuickBooksGrant> _refresh = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (QuickBooksGrant Grant, DateTimeOffset Expires)> _access = new(StringComparer.Ordinal);
    private readonly List<QuickBooksGrant> _grants = [];

    public object Lock { get; } = new();

    public string Begin(PendingAuthorization pending)
    {
        var id = Secrets.NewId();
        _pending[id] = pending;
        return id;
    }

    public PendingAuthorization? Pending(string? id) =>
        id is not null && _pending.TryGetValue(id, out var p) && p.Expires > time.GetUtcNow() ? p : null;

    public void End(string id) => _pending.TryRemove(id, out _);

    public string IssueCode(QuickBooksGrant grant, string redirectUri)
    {
        var code = Secrets.NewToken("AB11");
        _codes[Secrets.Hash(code)] = (grant, redirectUri, time.GetUtcNow() + CodeLifetime);
        return code;
    }

    /// <summary>Redeems a code once; null when unknown, used, expired or sent with another redirect_uri.</summary>
    public QuickBooksGrant? Redeem(string code, string? redirectUri) =>
        _codes.TryRemove(Secrets.Hash(code), out var c) && c.Expires > time.GetUtcNow() && c.RedirectUri == redirectUri ? c.Grant : null;

    public QuickBooksGrant NewGrant(string username, string realmId, string scope)
    {
        var grant = new QuickBooksGrant(username, realmId, scope);
        lock (Lock)
        {
            _grants.Add(grant);
        }

        return grant;
    }

    /// <summary>A new access token and a new refresh token for <paramref name="grant"/>; the previous refresh token stops working.</summary>
    public (string Access, string Refresh) Issue(QuickBooksGrant grant)
    {
        var now = time.GetUtcNow();
        var access = Secrets.NewToken("eyJ");
        var refresh = Secrets.NewToken("RT1-");
        _access[Secrets.Hash(access)] = (grant, now + AccessLifetime);
        lock (Lock)
        {
            if (grant.RefreshToken.Length > 0)
            {
                _refresh.TryRemove(Secrets.Hash(grant.RefreshToken), out _);
            }

            grant.RefreshToken = refresh;
            grant.RefreshExpires = now + RefreshLifetime;
            _refresh[Secrets.Hash(refresh)] = grant;
        }

        return (access, refresh);
    }

    /// <summary>The grant a refresh token belongs to when it is the latest, unexpired and not revoked.</summary>
    public QuickBooksGrant? ByRefreshToken(string token)
    {
        lock (Lock)
        {
            return _refresh.TryGetValue(Secrets.Hash(token), out var grant) && !grant.Revoked && grant.RefreshExpires > time.GetUtcNow()
                && grant.RefreshToken == token ? grant : null;
        }
    }

    /// <summary>The grant behind a bearer token, and whether the token is still good.</summary>
    public (QuickBooksGrant? Grant, bool Expired) ByAccessToken(string token) =>
        _access.TryGetValue(Secrets.Hash(token), out var a) ? (a.Grant, a.Expires <= time.GetUtcNow() || a.Grant.Revoked) : (null, false);

    /// <summary>Revokes the grant of an access or refresh token (Intuit revokes both with either); false when unknown.</summary>
    public bool Revoke(string token)
    {
        var grant = ByRefreshToken(token) ?? ByAccessToken(token).Grant;
        if (grant is null)
        {
            return false;
        }

        grant.Revoked = true;
        return true;
    }

    public IReadOnlyList<QuickBooksGrant> GrantsOf(string realmId)
    {
        lock (Lock)
        {
            return [.. _grants.Where(g => g.RealmId == realmId)];
        }
    }

    /// <summary>Control: every access token of the realm expires now (the next call answers 401 AuthenticationFailed).</summary>
    public void ExpireAccessTokens(string realmId)
    {
        foreach (var (hash, entry) in _access.Where(a => a.Value.Grant.RealmId == realmId).ToList())
        {
            _access[hash] = (entry.Grant, time.GetUtcNow());
        }
    }
}
