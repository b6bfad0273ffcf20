using Consentry.Connectors;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Connections;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Domain;

/// <summary>What a refresh came to.</summary>
public abstract record RefreshOutcome
{
    /// <summary>A working access token: ours, or the one another reader (or instance) got a moment ago.</summary>
    public sealed record Refreshed(string AccessToken) : RefreshOutcome;

    /// <summary>The platform refused the grant (<c>invalid_grant</c>): the connection is now Deauthorized.</summary>
    public sealed record Deauthorized(string Reason) : RefreshOutcome;

    /// <summary>The platform could not be asked, or failed; the grant may still be good.</summary>
    public sealed record Failed(string Reason) : RefreshOutcome;
}

/// <summary>
/// A connection's platform tokens for the sync engine. A refresh happens once per connection at a time, across threads
/// (a lock stripe) and instances (the token row is locked in a transaction), and a reader that finds the token already
/// replaced uses the new one instead of refreshing again: with rotating refresh tokens a second, concurrent refresh would
/// present a used token and the platform would revoke the grant.
/// </summary>
public sealed class ConnectionAccess(
    ConsentryDbContext db, IntegrationCatalogue catalogue, PlatformClients platforms, OAuthConnector oauth, SecretProtector secrets,
    GrantStore grants, RefreshLocks locks, ConnectionLifecycle lifecycle, TimeProvider time, ILogger<ConnectionAccess> logger)
{
    /// <summary>The connection's grant (tokens decrypted, and the platform account's parameters), or null when it has none.</summary>
    public Task<PlatformGrant?> GrantAsync(Guid connectionId, CancellationToken ct) => grants.GrantAsync(connectionId, ct);

    /// <summary>Gets a new access token because <paramref name="rejectedAccessToken"/> stopped working.</summary>
    public async Task<RefreshOutcome> RefreshAsync(Guid connectionId, string rejectedAccessToken, CancellationToken ct)
    {
        var stripe = locks.For(connectionId);
        await stripe.WaitAsync(ct);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await LockTokenRowAsync(connectionId, ct);
            var token = await db.ConnectionTokens.FirstOrDefaultAsync(t => t.ConnectionId == connectionId, ct);
            var connection = await db.Connections.FirstOrDefaultAsync(c => c.Id == connectionId, ct);
            if (token is null || connection is null)
            {
                return new RefreshOutcome.Failed("The connection has no tokens.");
            }

            var current = secrets.Unprotect(token.ProtectedAccessToken);
            if (!string.Equals(current, rejectedAccessToken, StringComparison.Ordinal))
            {
                return new RefreshOutcome.Refreshed(current);
            }

            if (connection.Status != ConnectionStatus.Linked)
            {
                return new RefreshOutcome.Deauthorized($"The connection is {connection.Status}.");
            }

            var platform = catalogue.Find(connection.PlatformKey) is { } integration ? await platforms.ResolveAsync(integration, ct) : null;
            if (platform is null || token.ProtectedRefreshToken is null)
            {
                return await DeauthorizeAsync(connection, "The platform gave no refresh token, so the access cannot be renewed.", transaction, ct);
            }

            var result = await oauth.RefreshAsync(platform.ForAccount(token.Account), secrets.Unprotect(token.ProtectedRefreshToken), ct);
            if (result.Error == "invalid_grant")
            {
                return await DeauthorizeAsync(connection, $"The platform refused the refresh token: {result.ErrorDescription ?? "invalid_grant"}.", transaction, ct);
            }

            if (!result.Succeeded)
            {
                logger.LogWarning("Refreshing the tokens of connection {ConnectionId} failed: {Status} {Error}", connectionId, result.StatusCode, result.Error);
                return new RefreshOutcome.Failed($"The platform did not refresh the token ({result.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer"}: {result.Error}).");
            }

            var tokens = result.Tokens!;
            token.ProtectedAccessToken = secrets.Protect(tokens.AccessToken);
            // A platform that does not rotate keeps the old refresh token valid and may not send it again.
            token.ProtectedRefreshToken = tokens.RefreshToken is null ? token.ProtectedRefreshToken : secrets.Protect(tokens.RefreshToken);
            token.AccessTokenExpiresAt = tokens.ExpiresAt;
            token.Scope = tokens.Scope ?? token.Scope;
            token.Updated = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return new RefreshOutcome.Refreshed(tokens.AccessToken);
        }
        finally
        {
            stripe.Release();
        }
    }

    /// <summary>
    /// Marks the connection Deauthorized (and tells the app) when its grant is gone for good, through
    /// <see cref="ConnectionLifecycle.DeauthorizeAsync"/>, in the given transaction or its own.
    /// </summary>
    public async Task<RefreshOutcome> DeauthorizeAsync(
        Connection connection, string reason, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? transaction, CancellationToken ct,
        Core.Consents.ConsentAction ending = Core.Consents.ConsentAction.Revoked)
    {
        await using var own = transaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await lifecycle.DeauthorizeAsync(connection, Deauthorization.Refused(reason, ending), expiredBy: null, ct);
        await (transaction ?? own)!.CommitAsync(ct);
        return new RefreshOutcome.Deauthorized(reason);
    }

    /// <summary>Holds the token row until the transaction ends, so one instance refreshes at a time.</summary>
    private Task<int> LockTokenRowAsync(Guid connectionId, CancellationToken ct) =>
        RawSql.ExecuteAsync(db, db.Database.IsPostgres()
            ? """SELECT 1 FROM connection_tokens WHERE "ConnectionId" = @id FOR UPDATE"""
            // SQLite has one writer: the first write of a transaction takes the database's write lock.
            : """UPDATE connection_tokens SET "Updated" = "Updated" WHERE "ConnectionId" = @id""",
            new Dictionary<string, object?> { ["id"] = connectionId }, ct);
}

/// <summary>Striped locks by connection id: bounded memory, and two connections rarely wait on each other.</summary>
public sealed class RefreshLocks
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public SemaphoreSlim For(Guid connectionId) => _stripes[(connectionId.GetHashCode() & int.MaxValue) % _stripes.Length];
}
