using Consentry.Core.Tenancy;

namespace Consentry.Core.Connections;

/// <summary>
/// The platform tokens of a connection, encrypted with Data Protection (see <c>SecretProtector</c>). They never leave
/// the server: not in URLs, pages, logs or webhooks.
/// </summary>
public sealed class ConnectionToken : IClientOwned
{
    public Guid ConnectionId { get; set; }

    public Guid ClientId { get; set; }

    public required string ProtectedAccessToken { get; set; }

    public string? ProtectedRefreshToken { get; set; }

    public DateTime? AccessTokenExpiresAt { get; set; }

    public string? Scope { get; set; }

    /// <summary>The account values of a per-account platform (e.g. the Shopify shop), for refresh and revocation.</summary>
    public Dictionary<string, string> Account { get; set; } = [];

    public DateTime Updated { get; set; }
}
