namespace Consentry.Features.Monitoring;

/// <summary>What <c>GET /monitoring/authFlow</c> answers (our extension; Codat shows this only in its portal).</summary>
/// <remarks><c>CompletionRate</c> is the headline figure: completed ÷ started, as a percentage.</remarks>
public sealed record AuthFlowOverview(
    DateOnly From,
    DateOnly To,
    string? SourceType,
    FunnelFigures Funnel,
    double CompletionRate,
    double AuthorizedShare,
    double UploadedShare,
    IReadOnlyList<CategoryFunnel> Categories,
    IReadOnlyList<IntegrationFunnel> Integrations,
    IReadOnlyList<WeekFigure> Weekly)
{
    /// <summary>With <c>groupBy=variant</c>: each experiment variant's funnel, weekly rate and difference from the control.</summary>
    public IReadOnlyList<Experiments.VariantFunnel>? Variants { get; init; }
}

/// <summary>
/// Distinct companies whose journey started in the range (their cohort) and how far they got: began flow (of which
/// estimated, for build-your-own journeys), completed, authorized a connection, uploaded a file, skipped a category.
/// </summary>
public sealed record FunnelFigures(
    long Started,
    long BeganFlow,
    long BeganFlowEstimated,
    long Completed,
    long Authorized,
    long Uploaded,
    long Skipped,
    IReadOnlyList<StepFigure> Steps,
    IReadOnlyList<ReasonFigure> FailedByReason);

/// <summary>
/// Companies that reached a step or any later one (so the funnel only goes down), as a count and a percentage of
/// started, and how many of those at the step before (started, for the first step) did not.
/// </summary>
public sealed record StepFigure(string Step, string Name, long Companies, double Share, long DropOff);

public sealed record ReasonFigure(string Reason, long Companies);

public sealed record CategoryFunnel(string SourceType, FunnelFigures Figures);

public sealed record IntegrationFunnel(string PlatformKey, string Name, string SourceType, FunnelFigures Figures);

/// <summary>A week (Monday to Sunday, UTC) of the cohort: completed ÷ started as a percentage; absent with no starts.</summary>
public sealed record WeekFigure(DateOnly WeekStart, long Started, long Completed, double? CompletionRate);
