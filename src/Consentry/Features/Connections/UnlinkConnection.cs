using Consentry.Core.Connections;
using Consentry.Core.Consents;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Connections;

/// <summary><c>PATCH …/connections/{connectionId} {status: Unlinked}</c>: only a Linked connection can be unlinked.</summary>
internal static class UnlinkConnection
{
    public static async Task<Results<Ok<ConnectionResponse>, CodatError>> Handle(
        Guid companyId, Guid connectionId, UpdateConnectionStatusRequest? body, ConsentryDbContext db, ConnectionLifecycle lifecycle,
        PublicUrls urls, HttpContext http, CancellationToken ct)
    {
        var unlinked = await UnlinkAsync(companyId, connectionId, body, db, lifecycle, ConsentActorInfo.From(http, ConsentActor.App), ct);
        return unlinked.IsSuccess ? TypedResults.Ok(unlinked.Value!.ToResponse(urls)) : new CodatError(unlinked.Error!);
    }

    /// <summary>
    /// Unlinks for the app (the API) or the customer (the SDK, the manage page): reads stop, data is kept, the consents end.
    /// Answers the connection or why not; each caller adapts it (the API's response, the SDK's view).
    /// </summary>
    public static async Task<Result<Connection>> UnlinkAsync(
        Guid companyId, Guid connectionId, UpdateConnectionStatusRequest? body, ConsentryDbContext db, ConnectionLifecycle lifecycle,
        ConsentActorInfo who, CancellationToken ct)
    {
        var found = await db.FindConnectionAsync(companyId, connectionId, track: true, ct);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        if (body?.Status != ConnectionStatus.Unlinked)
        {
            return Error.Validation(
                "Only {\"status\": \"Unlinked\"} is accepted: a connection can be unlinked, other statuses are set by the Link journey.");
        }

        return await lifecycle.UnlinkAsync(found.Value!, who, ct);
    }
}
