using Consentry.Features.Monitoring;
using Consentry.Features.Portal;

namespace Consentry.Pages.Portal.Monitor;

/// <summary>Monitor › Platform health: <see cref="PlatformHealth"/> for the last 24 hours.</summary>
public sealed class HealthModel(PlatformHealth health) : PortalPageModel
{
    public PlatformHealthReport? Report { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Report = await health.RunAsync(ct);
}
