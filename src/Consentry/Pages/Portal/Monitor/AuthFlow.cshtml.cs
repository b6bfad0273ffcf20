using System.Text.Json;
using Consentry.Features.Monitoring;
using Consentry.Features.Portal;
using Consentry.Infrastructure.Http;

namespace Consentry.Pages.Portal.Monitor;

/// <summary>Monitor › Auth flow › Overview: the same figures as <c>GET /monitoring/authFlow</c>, as a funnel and a line.</summary>
public sealed class AuthFlowModel(AuthFlowQuery query, TimeProvider time) : PortalPageModel
{
    public AuthFlowOverview? Overview { get; private set; }

    public IReadOnlyList<(string Name, FunnelFigures Figures)> CategoryRows { get; private set; } = [];

    public IReadOnlyList<(string Name, FunnelFigures Figures)> IntegrationRows { get; private set; } = [];

    /// <summary>The chart data, read by portal.js (kept out of inline script for the CSP).</summary>
    public string ChartJson { get; private set; } = "{}";

    public async Task OnGetAsync(string? from, string? to, string? sourceType, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var filter = AuthFlowFilter.Parse(from, to, sourceType, today);
        if (!filter.IsSuccess)
        {
            Error = filter.Error!.Message;
            filter = AuthFlowFilter.Parse(null, null, null, today);
        }

        Overview = await query.RunAsync(filter.Value!, ct);
        CategoryRows = [.. Overview.Categories.Select(c => (c.SourceType, c.Figures))];
        IntegrationRows = [.. Overview.Integrations.Select(i => (i.Name, i.Figures))];
        var f = Overview.Funnel;
        // Serialized with the API's options; "<" is escaped by the default encoder, so it cannot close the script element.
        ChartJson = JsonSerializer.Serialize(new
        {
            funnel = new[] { new { label = "Started", value = f.Started, share = f.Started == 0 ? 0 : 100.0 } }
                .Concat(f.Steps.Select(s => new { label = s.Name, value = s.Companies, share = s.Share }))
                .Append(new { label = "Completed", value = f.Completed, share = Overview.CompletionRate }),
            weekly = Overview.Weekly.Select(w => new { week = w.WeekStart.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), rate = w.CompletionRate, w.Started, w.Completed }),
        }, ApiJson.Options);
    }
}
