using Consentry.Connectors;
using Consentry.Core.Companies;
using Consentry.Core.Connections;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Core.Webhooks;
using Consentry.Features.Webhooks;
using Consentry.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Connectors.OAuth2;

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
    ConsentryDbContext db, IntegrationCatalogue catalogue, PlatformClients platforms, OAuthConnector oauth, PlatformConnectors connectors, SecretProtector secrets,
    WebhookEvents events, RefreshLocks locks, Features.Consents.ConsentLedger consents, TimeProvider time, ILogger<ConnectionAccess> logger)
{
    /// <summary>The connection's grant (tokens decrypted, and the platform account's parameters), or null when it has none.</summary>
    public async Task<PlatformGrant?> GrantAsync(Guid connectionId, CancellationToken ct)
    {
        var token = await db.ConnectionTokens.AsNoTracking().FirstOrDefaultAsync(t => t.ConnectionId == connectionId, ct);
        return token is null ? null : new PlatformGrant(secrets.Unprotect(token.ProtectedAccessToken),
            token.ProtectedRefreshToken is { } refresh ? secrets.Unprotect(refresh) : null, token.Tenant);
    }

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

            var platform = catalogue.Find(connection.IntegrationKey) is { } integration ? await platforms.ResolveAsync(integration, ct) : null;
            if (platform is null || token.ProtectedRefreshToken is null)
            {
                return await DeauthorizeAsync(connection, "The platform gave no refresh token, so the access cannot be renewed.", transaction, ct);
            }

            var result = await oauth.RefreshAsync(platform.ForTenant(token.Tenant), secrets.Unprotect(token.ProtectedRefreshToken), ct);
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

    /// <summary>Marks the connection Deauthorized (and tells the app) when its grant is gone for good.</summary>
    public async Task<RefreshOutcome> DeauthorizeAsync(
        Connection connection, string reason, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? transaction, CancellationToken ct,
        Core.Consents.ConsentAction ending = Core.Consents.ConsentAction.Revoked)
    {
        // Whoever flips Linked → Deauthorized first (this reader, another instance, the consent-expiry worker) writes the
        // ledger entries and the event; the others only report the outcome.
        await using var own = transaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        if (connection.Status == ConnectionStatus.Linked
            && await db.Connections.Where(c => c.Id == connection.Id && c.Status == ConnectionStatus.Linked)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, ConnectionStatus.Deauthorized), ct) == 1)
        {
            var now = time.GetUtcNow().UtcDateTime;
            connection.Status = ConnectionStatus.Deauthorized;
            connection.AddError("401", "Unauthorized", reason, now);
            // The platform ended the access (the customer revoked it there, or the consent expired): so do its consents.
            // A refusal after the consent's known end is its expiry, whichever reader or worker noticed it first.
            if (connection.ConsentExpiresAt is { } end && end <= now)
            {
                ending = Core.Consents.ConsentAction.Expired;
            }

            await consents.EndAsync(connection, null, ending, Features.Consents.ConsentActorInfo.System, Truncate(reason), ct);
            var company = await db.Companies.AsNoTracking().Include(c => c.Tags).FirstAsync(c => c.Id == connection.CompanyId, ct);
            await events.ConnectionAsync(WebhookEventTypes.ConnectionDisconnected, company, connection, ct);
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Connection {ConnectionId} is now Deauthorized: {Reason}", connection.Id, reason);
        }

        await (transaction ?? own)!.CommitAsync(ct);
        return new RefreshOutcome.Deauthorized(reason);
    }

    /// <summary>
    /// Revokes the connection's tokens at the platform (RFC 7009) before the connection is deleted; best effort: a
    /// platform without revocation, or one that fails, does not stop the deletion (the tokens are deleted with it).
    /// </summary>
    public async Task<bool> RevokeAtPlatformAsync(Connection connection, CancellationToken ct)
    {
        var grant = await GrantAsync(connection.Id, ct);
        var platform = grant is null || catalogue.Find(connection.IntegrationKey) is not { } integration ? null : await platforms.ResolveAsync(integration, ct);
        if (grant is null || platform is null)
        {
            return false;
        }

        try
        {
            var revoked = await connectors.For(connection.IntegrationKey).RevokeAsync(platform.ForTenant(grant.Account), grant, ct);
            logger.LogInformation("Revoking connection {ConnectionId}'s grant at {Platform}: {Outcome}", connection.Id, connection.IntegrationKey, revoked ? "revoked" : "not revoked");
            return revoked;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Revoking connection {ConnectionId}'s grant at {Platform} failed: {Error}", connection.Id, connection.IntegrationKey, e.Message);
            return false;
        }
    }

    private static string Truncate(string reason) => reason.Length <= 200 ? reason : reason[..200];

    /// <summary>Holds the token row until the transaction ends, so one instance refreshes at a time.</summary>
    private Task<int> LockTokenRowAsync(Guid connectionId, CancellationToken ct) =>
        RawSql.ExecuteAsync(db, db.Database.IsNpgsql()
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
