using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Connections;

/// <summary><c>GET /companies/{companyId}/connections/{connectionId}</c>.</summary>
internal static class GetConnection
{
    public static async Task<Results<Ok<ConnectionResponse>, CodatError>> Handle(
        Guid companyId, Guid connectionId, ConsentryDbContext db, PublicUrls urls, CancellationToken ct)
    {
        var found = await db.FindConnectionAsync(companyId, connectionId, track: false, ct);
        return found.IsSuccess ? TypedResults.Ok(found.Value!.ToResponse(urls)) : new CodatError(found.Error!);
    }
}
