using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Domain;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Settings;

/// <summary>Codat's <c>ConnectionManagementAllowedOrigins</c>.</summary>
public sealed record AllowedOriginsDto(IReadOnlyList<string>? AllowedOrigins);

/// <summary><c>GET/POST /corsSettings</c> (and the deprecated <c>/connectionManagement/corsSettings</c>): origins the SDKs may run on.</summary>
internal static class CorsSettings
{
    public static async Task<Ok<AllowedOriginsDto>> Get(IClientCache clients, CurrentClient current, CancellationToken ct)
    {
        var client = await clients.GetAsync(current.Id, ct) ?? throw new InvalidOperationException("The authenticated client has no row.");
        return TypedResults.Ok(new AllowedOriginsDto([.. client.AllowedOrigins]));
    }

    public static async Task<Results<Ok<AllowedOriginsDto>, CodatError>> Set(
        AllowedOriginsDto? body, ConsentryDbContext db, CurrentClient current, CancellationToken ct)
    {
        if (body?.AllowedOrigins is not { } requested)
        {
            return new CodatError(Error.Validation("A JSON body is required: {\"allowedOrigins\": [\"https://app.example.com\"]}."));
        }

        if (requested.Count > UrlRules.MaxEntries)
        {
            return new CodatError(Error.Validation($"allowedOrigins can hold at most {UrlRules.MaxEntries} origins."));
        }

        var invalid = requested.Where(o => o is null || UrlRules.NormalizeOrigin(o) is null).ToList();
        if (invalid.Count > 0)
        {
            var errors = invalid.Select(o => $"'{o}' is not an origin (scheme://host[:port], no path).").ToList();
            return new CodatError(Error.Validation(string.Join(" ", errors), errors));
        }

        var client = await db.Clients.FirstAsync(c => c.Id == current.Id, ct);
        client.AllowedOrigins = [.. requested.Select(o => UrlRules.NormalizeOrigin(o)!).Distinct(StringComparer.Ordinal)];
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new AllowedOriginsDto(client.AllowedOrigins));
    }
}
