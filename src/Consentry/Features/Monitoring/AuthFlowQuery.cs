using System.Globalization;
using Consentry.Core.Connections;
using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using static Consentry.Features.Monitoring.AuthFlowMarks;

namespace Consentry.Features.Monitoring;

/// <summary>The date range and category of an overview, parsed from the query string (our extension's contract).</summary>
public sealed record AuthFlowFilter(DateOnly From, DateOnly To, SourceType? SourceType, bool ByVariant = false)
{
    public const int MaxDays = 731;

    public static readonly SourceType[] Categories = [Core.Connections.SourceType.Accounting, Core.Connections.SourceType.Banking, Core.Connections.SourceType.Commerce];

    /// <summary>Defaults: the last 30 days up to today (UTC), all categories.</summary>
    public static Result<AuthFlowFilter> Parse(string? from, string? to, string? sourceType, DateOnly today, string? groupBy = null)
    {
        if (!string.IsNullOrEmpty(groupBy) && groupBy != "variant")
        {
            return Error.Validation("groupBy must be variant (or left out).");
        }

        if (!TryDate(to, today, out var end) || !TryDate(from, end.AddDays(-29), out var start))
        {
            return Error.Validation("from and to must be dates like 2026-11-01 (YYYY-MM-DD).");
        }

        if (start > end)
        {
            return Error.Validation("from must not be after to.");
        }

        if (end.DayNumber - start.DayNumber >= MaxDays)
        {
            return Error.Validation($"The range may span at most {MaxDays} days.");
        }

        SourceType? type = null;
        if (!string.IsNullOrEmpty(sourceType))
        {
            if (!Enum.TryParse<SourceType>(sourceType, ignoreCase: true, out var parsed) || !Categories.Contains(parsed) || char.IsDigit(sourceType[0]))
            {
                return Error.Validation("sourceType must be Accounting, Banking or Commerce.");
            }

            type = parsed;
        }

        return new AuthFlowFilter(start, end, type, groupBy == "variant");
    }

    private static bool TryDate(string? value, DateOnly fallback, out DateOnly date)
    {
        date = fallback;
        return string.IsNullOrEmpty(value)
               || DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }
}

/// <summary>
/// Answers the auth-flow overview from the daily counters alone (tenant-filtered like every query): one grouped sum over
/// the range, and the started/completed pair per day for the weekly completion rate.
/// </summary>
public sealed class AuthFlowQuery(ConsentryDbContext db, IntegrationCatalogue catalogue, Experiments.ExperimentResults experiments)
{
    public async Task<AuthFlowOverview> RunAsync(AuthFlowFilter filter, CancellationToken ct)
    {
        var (from, to) = (filter.From, filter.To);
        var sums = (await db.JourneyDailyCounts.AsNoTracking()
                .Where(d => d.Day >= from && d.Day <= to)
                .GroupBy(d => new { d.Scope, d.Mark })
                .Select(g => new { g.Key.Scope, g.Key.Mark, Count = g.Sum(d => d.Count) })
                .ToListAsync(ct))
            .ToDictionary(r => (r.Scope, r.Mark), r => r.Count);

        var mainScope = filter.SourceType is { } type ? Category(type) : AllScope;
        var funnel = Figures(sums, mainScope);

        var categories = AuthFlowFilter.Categories.Where(t => filter.SourceType is null || t == filter.SourceType)
            .Select(t => new CategoryFunnel(t.ToString(), Figures(sums, Category(t))))
            .Where(c => c.Figures.Started > 0).ToList();

        var integrations = sums.Keys.Select(k => k.Scope).Where(s => s.StartsWith("i:", StringComparison.Ordinal)).Distinct()
            .Select(s => (Key: s[2..], Definition: catalogue.Find(s[2..])))
            .Where(i => filter.SourceType is null || i.Definition?.SourceType == filter.SourceType)
            .Select(i => new IntegrationFunnel(i.Key, i.Definition?.Name ?? i.Key, (i.Definition?.SourceType ?? SourceType.Unknown).ToString(),
                Figures(sums, Integration(i.Key))))
            .OrderByDescending(i => i.Figures.Started).ThenBy(i => i.PlatformKey, StringComparer.Ordinal).ToList();

        var days = await db.JourneyDailyCounts.AsNoTracking()
            .Where(d => d.Day >= from && d.Day <= to && d.Scope == mainScope && (d.Mark == Started || d.Mark == Completed))
            .Select(d => new { d.Day, d.Mark, d.Count })
            .ToListAsync(ct);

        return new AuthFlowOverview(from, to, filter.SourceType?.ToString(), funnel,
            Percent(funnel.Completed, funnel.Started), Percent(funnel.Authorized, funnel.Started), Percent(funnel.Uploaded, funnel.Started),
            categories, integrations, Weekly(to, days.Select(d => (d.Day, d.Mark, d.Count))))
        {
            Variants = filter.ByVariant ? await VariantsAsync(from, to, ct) : null,
        };
    }

    /// <summary>The variants of every experiment that ran during the range (whole journeys: variants are not per category).</summary>
    private async Task<List<Experiments.VariantFunnel>> VariantsAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var (start, end) = (from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var ran = await db.Experiments.AsNoTracking().Where(x => x.Created < end && (x.Ended == null || x.Ended >= start))
            .OrderBy(x => x.Created).ToListAsync(ct);
        return await experiments.ForAsync(ran, from, to, ct);
    }

    /// <summary>Weeks from the first one (in the range) with a completed journey, as Codat's chart starts.</summary>
    internal static List<WeekFigure> Weekly(DateOnly to, IEnumerable<(DateOnly Day, string Mark, long Count)> days)
    {
        var byWeek = days.GroupBy(d => WeekStart(d.Day)).ToDictionary(
            g => g.Key,
            g => (Started: g.Where(d => d.Mark == Started).Sum(d => d.Count), Completed: g.Where(d => d.Mark == Completed).Sum(d => d.Count)));
        var first = byWeek.Where(w => w.Value.Completed > 0).Select(w => (DateOnly?)w.Key).Min();
        var weeks = new List<WeekFigure>();
        for (var week = first ?? WeekStart(to).AddDays(7); week <= to; week = week.AddDays(7))
        {
            var (started, completed) = byWeek.GetValueOrDefault(week);
            weeks.Add(new WeekFigure(week, started, completed, started == 0 ? null : Percent(completed, started)));
        }

        return weeks;
    }

    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    internal static FunnelFigures Figures(Dictionary<(string, string), long> sums, string scope)
    {
        long Of(string mark) => sums.GetValueOrDefault((scope, mark));
        var started = Of(Started);
        var previous = started;
        var steps = new List<StepFigure>();
        foreach (var step in FunnelSteps)
        {
            // Reached-or-later marks: a company at a step was at every step before it, so previous >= companies.
            var companies = Of(Reached(step));
            steps.Add(new StepFigure(Camel(step.ToString()), StepName(step), companies, Percent(companies, started), previous - companies));
            previous = companies;
        }

        var reasons = sums.Where(s => s.Key.Item1 == scope && s.Key.Item2.StartsWith(FailedPrefix, StringComparison.Ordinal))
            .Select(s => new ReasonFigure(s.Key.Item2[FailedPrefix.Length..], s.Value))
            .OrderByDescending(r => r.Companies).ThenBy(r => r.Reason, StringComparer.Ordinal).ToList();
        return new FunnelFigures(started, Of(BeganFlow), Of(BeganFlowEstimated), Of(Completed), Of(nameof(JourneyStep.Authorized)),
            Of(nameof(JourneyStep.FileUploaded)), Of(nameof(JourneyStep.CategorySkipped)), steps, reasons);
    }

    internal static double Percent(long part, long whole) => whole == 0 ? 0 : Math.Round(100.0 * part / whole, 1);

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
