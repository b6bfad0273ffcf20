using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Features.Monitoring;
using Microsoft.EntityFrameworkCore;
using static Consentry.Features.Monitoring.AuthFlowMarks;

namespace Consentry.Features.Monitoring.Experiments;

/// <summary>Each variant's funnel from the daily counters of its scope, as the overview reads the whole journey's.</summary>
public sealed class ExperimentResults(ConsentryDbContext db)
{
    public async Task<List<VariantFunnel>> ForAsync(IReadOnlyList<Experiment> experiments, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var scopes = experiments.SelectMany(x => x.Variants).Select(v => Variant(v.Id)).ToList();
        if (scopes.Count == 0)
        {
            return [];
        }

        var sums = (await db.JourneyDailyCounts.AsNoTracking()
                .Where(d => d.Day >= from && d.Day <= to && scopes.Contains(d.Scope))
                .GroupBy(d => new { d.Scope, d.Mark })
                .Select(g => new { g.Key.Scope, g.Key.Mark, Count = g.Sum(d => d.Count) })
                .ToListAsync(ct))
            .ToDictionary(r => (r.Scope, r.Mark), r => r.Count);
        var days = await db.JourneyDailyCounts.AsNoTracking()
            .Where(d => d.Day >= from && d.Day <= to && scopes.Contains(d.Scope) && (d.Mark == Started || d.Mark == Completed))
            .Select(d => new { d.Scope, d.Day, d.Mark, d.Count })
            .ToListAsync(ct);

        var result = new List<VariantFunnel>();
        foreach (var experiment in experiments)
        {
            FunnelFigures? control = null;
            foreach (var variant in experiment.Variants)
            {
                var scope = Variant(variant.Id);
                var funnel = AuthFlowQuery.Figures(sums, scope);
                control ??= funnel;
                var versus = ReferenceEquals(control, funnel) ? null
                    : RateDifference.Of(experiment.Variants[0].Key, control.Started, control.Completed, funnel.Started, funnel.Completed);
                var weekly = AuthFlowQuery.Weekly(to, days.Where(d => d.Scope == scope).Select(d => (d.Day, d.Mark, d.Count)));
                result.Add(new VariantFunnel(experiment.Id, experiment.Name, variant.Key, variant.Name, variant.Stopped, funnel,
                    AuthFlowQuery.Percent(funnel.Completed, funnel.Started), weekly, versus));
            }
        }

        return result;
    }
}
