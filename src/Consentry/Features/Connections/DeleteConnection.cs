using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consentry.Features.Connections;

/// <summary><c>DELETE …/connections/{connectionId}</c>: 200 with an empty body, as Codat answers.</summary>
internal static class DeleteConnection
{
    public static async Task<Results<Ok, CodatError>> Handle(
        Guid companyId, Guid connectionId, ConsentryDbContext db, CancellationToken ct)
    {
        var found = await db.FindConnectionAsync(companyId, connectionId, track: true, ct);
        if (!found.IsSuccess)
        {
            return new CodatError(found.Error!);
        }

        db.Connections.Remove(found.Value!);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok();
    }
}
