using System.Collections.Concurrent;

namespace Consentry.Sandbox.Simulators.Xero;

/// <summary>What a user's consent granted: the scopes, and the authorization event its connections share.</summary>
internal sealed class XeroGrant(string username, IReadOnlyList<string> scopes, string authEventId)
{
    public string Username { get; } = username;

    public IReadOnlyList<string> Scopes { get; } = scopes;

    public string AuthEventId { get; } = authEventId;

    public bool Revoked { get; set; }
}

/// <summary>A tenant connected to the app (Xero's Identity API <c>Connection</c>).</summary>
internal sealed record XeroConnection(string Id, string TenantId, string TenantName, string AuthEventId, DateTime Created);

internal sealed record XeroAuthorizationRequest(
    string ClientId, string RedirectUri, string? State, string? CodeChallenge, IReadOnlyList<string> Scopes, DateTime ExpiresAt, string? Username = null);

internal sealed record XeroCode(string ClientId, string RedirectUri, string? CodeChallenge, XeroGrant Grant, DateTime ExpiresAt);

internal sealed record XeroAccessToken(XeroGrant Grant, DateTime ExpiresAt);

/// <summary>A refresh token: single use, but Xero accepts it again within a grace period after its first use.</summary>
internal sealed class XeroRefreshToken(XeroGrant grant, DateTime expiresAt)
{
    public XeroGrant Grant { get; } = grant;

    public DateTime ExpiresAt { get; set; } = expiresAt;

    public DateTime? UsedAt { get; set; }
}

/// <summary>Everything the Xero simulator remembers, in memory (as the sandboxes do).</summary>
internal sealed class XeroState
{
    public ConcurrentDictionary<string, XeroAuthorizationRequest> Requests { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, XeroCode> Codes { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, XeroAccessToken> AccessTokens { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, XeroRefreshToken> RefreshTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Per username: the tenants connected to the app (guarded by locking the list).</summary>
    public ConcurrentDictionary<string, List<XeroConnection>> Connections { get; } = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, Lazy<XeroOrganisation>> _organisations = new(StringComparer.Ordinal);

    /// <summary>An organisation's data, generated on first use.</summary>
    public XeroOrganisation Organisation(XeroOrganisationRef org, string username) =>
        _organisations.GetOrAdd(org.TenantId, _ => new Lazy<XeroOrganisation>(() => XeroDataGenerator.Generate(org, username))).Value;

    public List<XeroConnection> ConnectionsOf(string username) => Connections.GetOrAdd(username, _ => []);

    public XeroConnection? Connected(string username, string tenantId)
    {
        var list = ConnectionsOf(username);
        lock (list)
        {
            return list.FirstOrDefault(c => string.Equals(c.TenantId, tenantId, StringComparison.OrdinalIgnoreCase));
        }
    }
}
