using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Consentry.Querying;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Monitoring;

/// <summary>One "can't find yours?" request from the Link page, as the API shows it.</summary>
public sealed record PlatformRequestResponse(Guid Id, Guid CompanyId, string Category, string PlatformName, string? Note, string Locale, DateTime Created);

/// <summary>The requests for one platform name (case-insensitive): how many, and when the last came.</summary>
public sealed record PlatformRequestGroup(string PlatformName, int Count, DateTime Latest);

/// <summary>
/// Our extension: the platforms the client's customers asked for on the Link page ("can't find yours?"), so the client
/// sees which integration to enable next. <c>GET /monitoring/platformRequests</c> lists them, paged as Codat lists are;
/// the portal groups them by name.
/// </summary>
public static class PlatformRequestList
{
    private static readonly QueryableProperties<PlatformRequest> Properties = new QueryableProperties<PlatformRequest>("PlatformRequest")
        .Add("id", r => r.Id)
        .Add("companyId", r => r.CompanyId)
        .Add("category", r => r.Category)
        .Add("platformName", r => r.PlatformName)
        .Add("locale", r => r.Locale)
        .Add("created", r => r.Created);

    public static async Task<Results<Ok<Paged<PlatformRequestResponse>>, CodatError>> List(
        [AsParameters] PageQuery page, ConsentryDbContext db, HttpRequest request, CancellationToken ct)
    {
        var result = await Paging.ToPageAsync(
            db.PlatformRequests.AsNoTracking(), page, Properties,
            q => q.OrderByDescending(r => r.Created).ThenByDescending(r => r.Id),
            r => new PlatformRequestResponse(r.Id, r.CompanyId, r.Category, r.PlatformName, r.Note, r.Locale, r.Created),
            request, ct);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : new CodatError(result.Error!);
    }

    /// <summary>
    /// The client's requests grouped by platform name, ignoring case ("Sage 50" and "sage 50" are one), the most recently
    /// asked for first. The group shows the name as it was last typed.
    /// </summary>
    /// <remarks>
    /// Grouped here rather than in SQL: SQLite's lower() folds ASCII only, so "Économie" and "économie" would group on
    /// PostgreSQL and not on SQLite. The rows are two short columns, and a client has at most a few thousand.
    /// </remarks>
    public static async Task<IReadOnlyList<PlatformRequestGroup>> GroupedAsync(ConsentryDbContext db, CancellationToken ct)
    {
        var rows = await db.PlatformRequests.AsNoTracking().Select(r => new { r.PlatformName, r.Created }).ToListAsync(ct);
        return [.. rows
            .GroupBy(r => r.PlatformName, StringComparer.OrdinalIgnoreCase)
            .Select(g => (Last: g.MaxBy(r => r.Created)!, Count: g.Count()))
            .Select(g => new PlatformRequestGroup(g.Last.PlatformName, g.Count, g.Last.Created))
            .OrderByDescending(g => g.Latest).ThenBy(g => g.PlatformName, StringComparer.OrdinalIgnoreCase)];
    }
}
