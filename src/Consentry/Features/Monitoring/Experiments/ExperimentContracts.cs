using Consentry.Features.Monitoring;

namespace Consentry.Features.Monitoring.Experiments;

/// <summary><c>POST /experiments</c>: a name and two to five variants; the first is the control the others are compared with.</summary>
public sealed record ExperimentRequest(string? Name, List<VariantRequest>? Variants);

/// <summary>What a variant changes: texts (by <c>LinkTexts</c> name), the categories' order, which categories are optional.</summary>
public sealed record VariantRequest(string? Key, string? Name, int? Weight, Dictionary<string, string>? Texts, List<string>? CategoryOrder,
    List<string>? OptionalCategories);

public sealed record ExperimentView(Guid Id, string Name, string Status, DateTime Created, DateTime? Ended, string? PromotedVariant,
    IReadOnlyList<VariantView> Variants, IReadOnlyList<VariantFunnel>? Results);

public sealed record VariantView(string Key, string? Name, int Weight, bool Stopped, long Assigned, Dictionary<string, string> Texts,
    List<string>? CategoryOrder, List<string>? OptionalCategories);

public sealed record ExperimentList(IReadOnlyList<ExperimentView> Results, int TotalResults);

/// <summary>
/// A variant's funnel over a range (its companies by the day they first reached it) and, for every variant but the
/// control, how its completion rate differs from the control's.
/// </summary>
public sealed record VariantFunnel(Guid ExperimentId, string Experiment, string Variant, string? Name, bool Stopped, FunnelFigures Funnel,
    double CompletionRate, IReadOnlyList<WeekFigure> Weekly, RateDifference? VersusControl);

/// <summary>
/// The variant's completion rate minus the control's, in percentage points, with its 95 % confidence interval (the
/// two-proportion z interval); significant when the interval leaves out zero.
/// </summary>
public sealed record RateDifference(string Control, double Difference, double Low, double High, bool Significant)
{
    private const double Z95 = 1.959964;

    /// <summary>Null while either side has no started journey (there is no rate to compare).</summary>
    public static RateDifference? Of(string control, long controlStarted, long controlCompleted, long started, long completed)
    {
        if (controlStarted == 0 || started == 0)
        {
            return null;
        }

        double p1 = (double)controlCompleted / controlStarted, p2 = (double)completed / started;
        var se = Math.Sqrt((p1 * (1 - p1) / controlStarted) + (p2 * (1 - p2) / started));
        double diff = p2 - p1, low = diff - (Z95 * se), high = diff + (Z95 * se);
        return new RateDifference(control, Points(diff), Points(low), Points(high), low > 0 || high < 0);
    }

    private static double Points(double share) => Math.Round(100 * share, 1);
}
