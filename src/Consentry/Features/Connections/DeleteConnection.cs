using Consentry.Core.Persistence;
using Consentry.Core.Webhooks;
using Consentry.Features.Webhooks;
using Consentry.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Connections;

/// <summary><c>DELETE …/connections/{connectionId}</c>: 200 with an empty body, as Codat answers.</summary>
internal static class DeleteConnection
{
    public static async Task<Results<Ok, CodatError>> Handle(
        Guid companyId, Guid connectionId, ConsentryDbContext db, WebhookEvents events, CancellationToken ct)
    {
        var found = await db.FindConnectionAsync(companyId, connectionId, track: true, ct);
        if (!found.IsSuccess)
        {
            return new CodatError(found.Error!);
        }

        await events.ConnectionAsync(WebhookEventTypes.ConnectionDeleted, await db.CompanyForEventsAsync(companyId, ct), found.Value!, ct);
        db.Connections.Remove(found.Value!);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok();
    }
}
