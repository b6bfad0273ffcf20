using Consentry.Core.Persistence;
using Consentry.Features.Monitoring;
using Consentry.Features.Portal;

namespace Consentry.Pages.Portal.Monitor;

/// <summary>Monitor › Platform requests: what customers asked for under "can't find yours?", by platform, latest first.</summary>
public sealed class PlatformRequestsModel(ConsentryDbContext db) : PortalPageModel
{
    public IReadOnlyList<PlatformRequestGroup> Groups { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Groups = await PlatformRequestList.GroupedAsync(db, ct);
}
