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
    public static Task<Results<Ok<ConnectionResponse>, CodatError>> Handle(
        Guid companyId, Guid connectionId, UpdateConnectionStatusRequest? body, ConsentryDbContext db, ConnectionLifecycle lifecycle,
        PublicUrls urls, HttpContext http, CancellationToken ct) =>
        UnlinkAsync(companyId, connectionId, body, db, lifecycle, urls, ConsentActorInfo.From(http, ConsentActor.App), ct);

    /// <summary>Unlinks for the app (the API) or the customer (the SDK, the manage page): reads stop, data is kept, the consents end.</summary>
    public static async Task<Results<Ok<ConnectionResponse>, CodatError>> UnlinkAsync(
        Guid companyId, Guid connectionId, UpdateConnectionStatusRequest? body, ConsentryDbContext db, ConnectionLifecycle lifecycle,
        PublicUrls urls, ConsentActorInfo who, CancellationToken ct)
    {
        var found = await db.FindConnectionAsync(companyId, connectionId, track: true, ct);
        if (!found.IsSuccess)
        {
            return new CodatError(found.Error!);
        }

        var connection = found.Value!;
        if (body?.Status != ConnectionStatus.Unlinked)
        {
            return new CodatError(Error.Validation(
                "Only {\"status\": \"Unlinked\"} is accepted: a connection can be unlinked, other statuses are set by the Link journey."));
        }

        var unlinked = await lifecycle.UnlinkAsync(connection, who, ct);
        if (!unlinked.IsSuccess)
        {
            return new CodatError(unlinked.Error!);
        }

        return TypedResults.Ok(connection.ToResponse(urls));
    }
}
