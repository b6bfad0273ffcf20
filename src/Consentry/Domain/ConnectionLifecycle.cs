using Consentry.Connectors.OAuth2;
using Consentry.Core.Companies;
using Consentry.Core.Connections;
using Consentry.Core.Consents;
using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Core.Webhooks;
using Consentry.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Domain;

/// <summary>Why a Linked connection lost its grant: the error it shows, and how its consents end in the ledger.</summary>
public sealed record Deauthorization(string StatusCode, string StatusText, string Message, ConsentAction Ending, string LedgerReason)
{
    /// <summary>The consent at the platform reached its known end (the consent-expiry worker).</summary>
    public static readonly Deauthorization ConsentExpired = new("403", "Forbidden",
        "The customer's consent at the platform expired: they can re-consent with the same link.", ConsentAction.Expired, "The consent at the platform expired.");

    /// <summary>The platform refused the grant (a refresh or a read was refused for good).</summary>
    public static Deauthorization Refused(string reason, ConsentAction ending = ConsentAction.Revoked) =>
        new("401", "Unauthorized", reason, ending, reason.Length <= 200 ? reason : reason[..200]);
}

/// <summary>
/// Every change of a connection's status, in one order: change the status (guarded by <see cref="Connection.MoveTo"/>),
/// write the consent ledger, put the webhook in the outbox, queue or stop reads, save. Creating (or reusing a pending
/// connection), linking (and re-consenting), failing, unlinking, deauthorizing (and expiring) and deleting all happen here;
/// features call these, never set <see cref="Connection.Status"/> themselves.
/// </summary>
public sealed class ConnectionLifecycle(
    ConsentryDbContext db, ConnectionFactory factory, GrantStore grants, ConsentLedger consents, WebhookOutbox events, SyncQueue sync,
    TimeProvider time, ILogger<ConnectionLifecycle> logger)
{
    /// <summary>The company's pending (or consent-expired) connection to the platform, or a new one.</summary>
    public async Task<Result<Connection>> PendingOrNewAsync(Company company, IntegrationDefinition integration, CancellationToken ct)
    {
        var connection = await db.Connections.Where(c => c.CompanyId == company.Id && c.PlatformKey == integration.PlatformKey
                && (c.Status == ConnectionStatus.PendingAuth || c.Status == ConnectionStatus.Deauthorized))
            .OrderByDescending(c => c.Created).FirstOrDefaultAsync(ct);
        return connection is not null ? connection : await factory.CreateAsync(company, integration, ct);
    }

    /// <summary>
    /// Links (first time), re-authorizes, or re-consents (an Unlinked or Deauthorized connection): stores the grant, then
    /// the consents the customer agreed to, the <c>connection.connected</c>/<c>reconnected</c> event, the first reads.
    /// Not saved here: the Link journey saves it with its counters (one transaction). Answers the company (with its tags,
    /// untracked) as the events read it, so the journey's result page need not read it again.
    /// </summary>
    public async Task<Company> LinkAsync(Connection connection, TokenSet tokens, Dictionary<string, string> account, ConsentCapture? consent, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var wasLinkedBefore = connection.Status is ConnectionStatus.Deauthorized or ConnectionStatus.Unlinked
                              || await WasAuthorized.For(db)(db, connection.Id, ct);
        await grants.StoreAsync(connection, tokens, account, now, ct);
        var previousStatus = connection.Status;
        connection.MoveTo(ConnectionStatus.Linked);
        connection.ConsentExpiresAt = tokens.ConsentExpiresAt;
        connection.ConsentExpiryWarnedAt = null;
        connection.ResolveErrors(now);
        // What the customer agreed to before signing in becomes the connection's consents, in this same transaction.
        var coverage = await consents.GrantOnLinkAsync(connection, consent, ct);
        var company = await db.CompanyForEventsAsync(connection.CompanyId, ct);
        await events.ConnectionAsync(wasLinkedBefore ? WebhookEventTypes.ConnectionReconnected : WebhookEventTypes.ConnectionConnected, company, connection, previousStatus, ct);
        // The first reads commit with the link itself, so a Linked connection always has its reads queued.
        // Never linked: PendingAuth when loaded and no Authorized event now. The event is read after the platform's
        // exchange, so a second browser tab that linked the same connection meanwhile makes this a re-authorization.
        await sync.OnLinkedAsync(company, connection, coverage, firstLink: previousStatus == ConnectionStatus.PendingAuth && !wasLinkedBefore, ct);
        return company;
    }

    // Every link asks it: compiled once per model (no parameter extraction or query-cache look-up per call).
    private static readonly PerModel<Func<ConsentryDbContext, Guid, CancellationToken, Task<bool>>> WasAuthorized = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid id, CancellationToken ct) =>
            db.JourneyEvents.Any(e => e.ConnectionId == id && e.Step == JourneyStep.Authorized)));

    /// <summary>An authorization that did not link: the error and <c>connection.failed</c>; the status stays. Saved by the journey.</summary>
    public async Task FailAsync(Connection connection, int statusCode, string statusText, CancellationToken ct)
    {
        connection.AddError(statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), statusText, RedirectTemplate.ErrorMessage(statusCode),
            time.GetUtcNow().UtcDateTime);
        await events.ConnectionAsync(WebhookEventTypes.ConnectionFailed, await db.CompanyForEventsAsync(connection.CompanyId, ct), connection, ct);
    }

    /// <summary>Unlinks for the app (the API) or the customer (the SDK, the manage page): reads stop, data is kept, the consents end.</summary>
    public async Task<Result<Connection>> UnlinkAsync(Connection connection, ConsentActorInfo who, CancellationToken ct)
    {
        if (!connection.CanMoveTo(ConnectionStatus.Unlinked))
        {
            return Error.Validation($"Only a Linked connection can be unlinked; this connection is {connection.Status}.");
        }

        connection.MoveTo(ConnectionStatus.Unlinked);
        // Without an active consent nothing more is read: the ended consents stop the reads.
        await consents.EndAsync(connection, null, ConsentAction.Revoked, who, "The connection was unlinked.", ct);
        await events.ConnectionAsync(WebhookEventTypes.ConnectionDisconnected, await db.CompanyForEventsAsync(connection.CompanyId, ct), connection, ct);
        await db.SaveChangesAsync(ct);
        return connection;
    }

    /// <summary>
    /// Marks a Linked connection Deauthorized when its grant is gone for good (refused, or its consent expired), in the
    /// caller's transaction. Whoever flips Linked → Deauthorized first (a reader, another instance, the consent-expiry
    /// worker) writes the ledger entries and the event and gets true; the others change nothing. With
    /// <paramref name="expiredBy"/> the flip also needs the consent's end to be at or before it (a re-consent moves it).
    /// </summary>
    public async Task<bool> DeauthorizeAsync(Connection connection, Deauthorization why, DateTime? expiredBy, CancellationToken ct)
    {
        if (connection.Status != ConnectionStatus.Linked
            || await db.Connections.Where(c => c.Id == connection.Id && c.Status == ConnectionStatus.Linked
                                               && (expiredBy == null || c.ConsentExpiresAt <= expiredBy))
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, ConnectionStatus.Deauthorized), ct) != 1)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        connection.MoveTo(ConnectionStatus.Deauthorized);
        connection.AddError(why.StatusCode, why.StatusText, why.Message, now);
        // The platform ended the access (the customer revoked it there, or the consent expired): so do its consents.
        // A refusal after the consent's known end is its expiry, whichever reader or worker noticed it first.
        var ending = connection.ConsentExpiresAt is { } end && end <= now ? ConsentAction.Expired : why.Ending;
        await consents.EndAsync(connection, null, ending, ConsentActorInfo.System, why.LedgerReason, ct);
        await events.ConnectionAsync(WebhookEventTypes.ConnectionDisconnected, await db.CompanyForEventsAsync(connection.CompanyId, ct), connection, ct);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Connection {ConnectionId} is now Deauthorized: {Reason}", connection.Id, why.Message);
        return true;
    }

    /// <summary>
    /// Revokes the grant at the platform, ends the consents in the ledger (which outlives the connection), and deletes the
    /// connection with its tokens and cached data, with <c>connection.deleted</c>, in one transaction.
    /// </summary>
    public async Task DeleteAsync(Connection connection, ConsentActorInfo who, CancellationToken ct)
    {
        await RetireAsync(connection, who, "The connection was deleted.", ct);
        await events.ConnectionAsync(WebhookEventTypes.ConnectionDeleted, await db.CompanyForEventsAsync(connection.CompanyId, ct), connection, ct);
        db.Connections.Remove(connection);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Before a connection goes with its company (or alone): its grant is revoked at the platform and its consents end. Not saved here.</summary>
    public async Task RetireAsync(Connection connection, ConsentActorInfo who, string reason, CancellationToken ct)
    {
        await grants.RevokeAtPlatformAsync(connection, ct);
        await consents.EndAsync(connection, null, ConsentAction.Revoked, who, reason, ct);
    }
}
