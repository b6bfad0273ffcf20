using Consentry.Core.Consents;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Connections;

/// <summary><c>DELETE …/connections/{connectionId}</c>: 200 with an empty body, as Codat answers.</summary>
internal static class DeleteConnection
{
    public static Task<Results<Ok, CodatError>> Handle(
        Guid companyId, Guid connectionId, ConsentryDbContext db, ConnectionLifecycle lifecycle, HttpContext http, CancellationToken ct) =>
        DeleteAsync(companyId, connectionId, db, lifecycle, ConsentActorInfo.From(http, ConsentActor.App), ct);

    /// <summary>
    /// Revokes the grant at the platform, ends the consents in the ledger (which outlives the connection), and deletes the
    /// connection with its tokens and cached data in one transaction.
    /// </summary>
    public static async Task<Results<Ok, CodatError>> DeleteAsync(
        Guid companyId, Guid connectionId, ConsentryDbContext db, ConnectionLifecycle lifecycle, ConsentActorInfo who, CancellationToken ct)
    {
        var found = await db.FindConnectionAsync(companyId, connectionId, track: true, ct);
        if (!found.IsSuccess)
        {
            return new CodatError(found.Error!);
        }

        await lifecycle.DeleteAsync(found.Value!, who, ct);
        return TypedResults.Ok();
    }
}
