using Consentry.Core.Companies;
using Consentry.Core.Connections;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Consentry.Features.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Pages.Portal.Companies;

/// <summary>A company: its connections (status, data status, consent expiry, errors), uploads, consent ledger and journey timeline.</summary>
public sealed class DetailModel(ConsentryDbContext db) : PortalPageModel
{
    private const int MaxEvents = 500;

    public Company? Company { get; private set; }

    public IReadOnlyList<Connection> Connections { get; private set; } = [];

    public IReadOnlyList<UploadedFile> Uploads { get; private set; } = [];

    public IReadOnlyList<JourneyEvent> Timeline { get; private set; } = [];

    /// <summary>The consent ledger (what <c>GET /companies/{id}/consents</c> answers).</summary>
    public IReadOnlyList<Features.Consents.ConsentRecordResponse> Consents { get; private set; } = [];

    public IReadOnlyList<string> Products { get; private set; } = [];

    /// <summary>The latest read of each data type of each connection (what <c>GET /companies/{id}/dataStatus</c> reports).</summary>
    public IReadOnlyList<Dataset> DataStatus { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid companyId, CancellationToken ct)
    {
        // The tenant filter answers "not found" for another client's company, exactly as for a missing one.
        Company = await db.Companies.AsNoTracking().Include(c => c.Tags).FirstOrDefaultAsync(c => c.Id == companyId, ct);
        if (Company is null)
        {
            return NotFound();
        }

        Connections = await db.Connections.AsNoTracking().Where(c => c.CompanyId == companyId).OrderBy(c => c.Created).ToListAsync(ct);
        Uploads = await db.UploadedFiles.AsNoTracking().Where(f => f.CompanyId == companyId).OrderBy(f => f.Uploaded).ToListAsync(ct);
        var datasets = await db.Datasets.AsNoTracking().Where(d => d.CompanyId == companyId)
            .OrderByDescending(d => d.Requested).Take(MaxEvents).ToListAsync(ct);
        DataStatus = [.. datasets.GroupBy(d => (d.ConnectionId, d.DataType)).Select(g => g.First()).OrderBy(d => d.DataType, StringComparer.Ordinal)];
        Consents = await Features.Consents.ConsentViews.LedgerOfAsync(db, companyId, null, ct);
        Products = await db.CompanyProducts.AsNoTracking().Where(p => p.CompanyId == companyId).Select(p => p.ProductIdentifier).OrderBy(p => p).ToListAsync(ct);
        Timeline = await db.JourneyEvents.AsNoTracking().Where(e => e.CompanyId == companyId)
            .OrderBy(e => e.At).ThenBy(e => e.Id).Take(MaxEvents).ToListAsync(ct);
        return Page();
    }
}
