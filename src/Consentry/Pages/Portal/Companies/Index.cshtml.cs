using Consentry.Core.Persistence;
using Consentry.Features.Portal;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Pages.Portal.Companies;

public sealed record CompanyRow(Guid Id, string Name, DateTime Created, int Connections);

/// <summary>Companies: the newest first, searched by name (or an exact id); the tenant filter keeps other clients' out.</summary>
public sealed class IndexModel(ConsentryDbContext db) : PortalPageModel
{
    private const int PageSize = 100;

    public string? Query { get; private set; }

    public IReadOnlyList<CompanyRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(string? q, CancellationToken ct)
    {
        Query = q?.Trim() is { Length: > 0 and <= 200 } trimmed ? trimmed : null;
        var companies = db.Companies.AsNoTracking();
        if (Query is not null)
        {
            companies = Guid.TryParse(Query, out var id)
                ? companies.Where(c => c.Id == id)
                : companies.Where(c => EF.Functions.Like(c.Name.ToLower(), Pattern(Query), "\\"));
        }

        Rows = await companies.OrderByDescending(c => c.Created).ThenByDescending(c => c.Id).Take(PageSize)
            .Select(c => new CompanyRow(c.Id, c.Name, c.Created, db.Connections.Count(x => x.CompanyId == c.Id)))
            .ToListAsync(ct);
    }

    /// <summary>Case-insensitive "contains" on both databases, with LIKE's wildcards in the search taken literally.</summary>
    private static string Pattern(string query) =>
        "%" + query.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
