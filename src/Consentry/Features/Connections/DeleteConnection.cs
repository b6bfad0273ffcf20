using Consentry.Connectors.OAuth2;
using Consentry.Core.Consents;
using Consentry.Core.Persistence;
using Consentry.Features.Consents;
using Consentry.Core.Webhooks;
using Consentry.Features.Webhooks;
using Consentry.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Connections;

/// <summary><c>DELETE …/connections/{connectionId}</c>: 200 with an empty body, as Codat answers.</summary>
internal static class DeleteConnection
{
    public static Task<Results<Ok, CodatError>> Handle(
        Guid companyId, Guid connectionId, ConsentryDbContext db, WebhookEvents events, ConnectionAccess access, ConsentLedger consents,
        HttpContext http, CancellationToken ct) =>
        DeleteAsync(companyId, connectionId, db, events, access, consents, ConsentActorInfo.From(http, ConsentActor.App), ct);

    /// <summary>
    /// Revokes the grant at the platform, ends the consents in the ledger (which outlives the connection), and deletes the
    /// connection with its tokens and cached data in one transaction.
    /// </summary>
    public static async Task<Results<Ok, CodatError>> DeleteAsync(
        Guid companyId, Guid connectionId, ConsentryDbContext db, WebhookEvents events, ConnectionAccess access, ConsentLedger consents,
        ConsentActorInfo who, CancellationToken ct)
    {
        var found = await db.FindConnectionAsync(companyId, connectionId, track: true, ct);
        if (!found.IsSuccess)
        {
            return new CodatError(found.Error!);
        }

        await access.RevokeAtPlatformAsync(found.Value!, ct);
        await consents.EndAsync(found.Value!, null, ConsentAction.Revoked, who, "The connection was deleted.", ct);
        await events.ConnectionAsync(WebhookEventTypes.ConnectionDeleted, await db.CompanyForEventsAsync(companyId, ct), found.Value!, ct);
        db.Connections.Remove(found.Value!);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok();
    }
}
