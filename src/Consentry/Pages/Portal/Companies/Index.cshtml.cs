using Consentry.Core.Connections;
using Consentry.Core.Persistence;
using Consentry.Features.Portal;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Pages.Portal.Companies;

/// <summary>A company of the list, with how many of its connections are in each status, the worst first.</summary>
public sealed record CompanyRow(Guid Id, string Name, DateTime Created, IReadOnlyList<(ConnectionStatus Status, int Count)> Statuses)
{
    public int Connections => Statuses.Sum(s => s.Count);

    /// <summary>The status that most needs attention: lost access first, then waiting for the customer, then linked.</summary>
    public static int Severity(ConnectionStatus status) => status switch
    {
        ConnectionStatus.Deauthorized => 0,
        ConnectionStatus.Unlinked => 1,
        ConnectionStatus.PendingAuth => 2,
        _ => 3,
    };
}

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

        var page = await companies.OrderByDescending(c => c.Created).ThenByDescending(c => c.Id).Take(PageSize)
            .Select(c => new { c.Id, c.Name, c.Created })
            .ToListAsync(ct);
        var ids = page.Select(c => c.Id).ToList();
        var statuses = (await db.Connections.AsNoTracking().Where(c => ids.Contains(c.CompanyId))
                .GroupBy(c => new { c.CompanyId, c.Status })
                .Select(g => new { g.Key.CompanyId, g.Key.Status, Count = g.Count() })
                .ToListAsync(ct))
            .ToLookup(s => s.CompanyId, s => (s.Status, s.Count));
        Rows = [.. page.Select(c => new CompanyRow(c.Id, c.Name, c.Created,
            [.. statuses[c.Id].OrderBy(s => CompanyRow.Severity(s.Status))]))];
    }

    /// <summary>Case-insensitive "contains" on both databases, with LIKE's wildcards in the search taken literally.</summary>
    private static string Pattern(string query) =>
        "%" + query.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
