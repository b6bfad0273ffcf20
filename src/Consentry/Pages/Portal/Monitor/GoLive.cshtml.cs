using Consentry.Features.Monitoring;
using Consentry.Features.Portal;

namespace Consentry.Pages.Portal.Monitor;

/// <summary>Monitor › Go-live checklist: <see cref="GoLiveChecklist"/>, grouped by area, each item with the page that fixes it.</summary>
public sealed class GoLiveModel(GoLiveChecklist checklist) : PortalPageModel
{
    public GoLiveReport? Report { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Report = await checklist.RunAsync(ct);
}
