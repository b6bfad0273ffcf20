using Consentry.Connectors;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Connections;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Domain;

/// <summary>
/// A connection's platform grant at rest: its tokens, encrypted with Data Protection, and the platform account's
/// parameters. Stored when a connection links, read by the sync engine, revoked at the platform before a deletion.
/// Refreshing is <see cref="ConnectionAccess"/>'s.
/// </summary>
public sealed class GrantStore(
    ConsentryDbContext db, IntegrationCatalogue catalogue, PlatformClients platforms, PlatformConnectors connectors, SecretProtector secrets,
    ILogger<GrantStore> logger)
{
    /// <summary>The connection's grant (tokens decrypted, and the platform account's parameters), or null when it has none.</summary>
    public async Task<PlatformGrant?> GrantAsync(Guid connectionId, CancellationToken ct)
    {
        var token = await db.ConnectionTokens.AsNoTracking().FirstOrDefaultAsync(t => t.ConnectionId == connectionId, ct);
        return token is null ? null : new PlatformGrant(secrets.Unprotect(token.ProtectedAccessToken),
            token.ProtectedRefreshToken is { } refresh ? secrets.Unprotect(refresh) : null, token.Account);
    }

    /// <summary>Adds or replaces the connection's tokens in the caller's unit of work (they commit with the link).</summary>
    public async Task<ConnectionToken> StoreAsync(Connection connection, TokenSet tokens, Dictionary<string, string> account, DateTime now, CancellationToken ct)
    {
        var token = await TokenOf.For(db)(db, connection.Id, ct);
        if (token is null)
        {
            token = new ConnectionToken { ConnectionId = connection.Id, ProtectedAccessToken = "" };
            db.ConnectionTokens.Add(token);
        }

        token.ProtectedAccessToken = secrets.Protect(tokens.AccessToken);
        token.ProtectedRefreshToken = tokens.RefreshToken is null ? null : secrets.Protect(tokens.RefreshToken);
        token.AccessTokenExpiresAt = tokens.ExpiresAt;
        token.Scope = tokens.Scope;
        token.Account = account;
        token.Updated = now;
        return token;
    }

    // Every link stores its grant: compiled once per model (no parameter extraction or query-cache look-up per call).
    private static readonly PerModel<Func<ConsentryDbContext, Guid, CancellationToken, Task<ConnectionToken?>>> TokenOf = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid connectionId, CancellationToken ct) =>
            db.ConnectionTokens.FirstOrDefault(t => t.ConnectionId == connectionId)));

    /// <summary>
    /// Revokes the connection's tokens at the platform (RFC 7009) before the connection is deleted; best effort: a
    /// platform without revocation, or one that fails, does not stop the deletion (the tokens are deleted with it).
    /// </summary>
    public async Task<bool> RevokeAtPlatformAsync(Connection connection, CancellationToken ct)
    {
        var grant = await GrantAsync(connection.Id, ct);
        var platform = grant is null || catalogue.Find(connection.PlatformKey) is not { } integration ? null : await platforms.ResolveAsync(integration, ct);
        if (grant is null || platform is null)
        {
            return false;
        }

        try
        {
            var revoked = await connectors.For(connection.PlatformKey).RevokeAsync(platform.ForAccount(grant.Account), grant, ct);
            logger.LogInformation("Revoking connection {ConnectionId}'s grant at {Platform}: {Outcome}", connection.Id, connection.PlatformKey, revoked ? "revoked" : "not revoked");
            return revoked;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Revoking connection {ConnectionId}'s grant at {Platform} failed: {Error}", connection.Id, connection.PlatformKey, e.Message);
            return false;
        }
    }
}
