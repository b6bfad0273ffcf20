using Consentry.Core.Connections;
using Consentry.Core.Link;

namespace Consentry.Features.Monitoring;

/// <summary>The names the rollups use: scopes (whole journey, a category, an integration) and marks (steps reached).</summary>
public static class AuthFlowMarks
{
    public const string AllScope = "";
    public const string Started = "Started";
    public const string BeganFlow = "BeganFlow";
    public const string BeganFlowEstimated = "BeganFlowEstimated";
    public const string Completed = nameof(JourneyStep.Completed);
    public const string FailedPrefix = "Failed:";
    public const string ReachedPrefix = "Reached:";

    /// <summary>The company used the company Link (or the SDK), not only connections' linkUrls.</summary>
    public const string CompanyLink = "CompanyLink";

    /// <summary>The steps of the per-step drop-off, in journey order.</summary>
    public static readonly JourneyStep[] FunnelSteps =
    [
        JourneyStep.Opened, JourneyStep.ConsentViewed, JourneyStep.IntegrationSelected, JourneyStep.OAuthStarted, JourneyStep.Authorized,
    ];

    /// <summary>What the portal calls each funnel step.</summary>
    public static string StepName(JourneyStep step) => step switch
    {
        JourneyStep.Opened => "Opened Link",
        JourneyStep.ConsentViewed => "Read the consent",
        JourneyStep.IntegrationSelected => "Chose a platform",
        JourneyStep.OAuthStarted => "Went to sign in at the platform",
        JourneyStep.Authorized => "Authorized access",
        _ => step.ToString(),
    };

    /// <summary>
    /// The funnel marks an event reaches: its own step and every step before it. A company counts at a step when it
    /// reached that step or any later one, so the funnel only goes down, and a step a journey kind never shows (choosing
    /// a platform in a build-your-own journey, the landing page when it is off) counts as passed.
    /// </summary>
    public static IEnumerable<string> ReachedBy(JourneyStep step) =>
        FunnelSteps.Take(Array.IndexOf(FunnelSteps, step) + 1).Select(Reached);

    public static string Reached(JourneyStep step) => ReachedPrefix + step;

    /// <summary>Steps only the company Link (hosted or embedded) records; a linkUrl journey's pages carry their connection.</summary>
    public static bool IsCompanyLinkStep(JourneyEvent e) =>
        e.Step is JourneyStep.IntegrationSelected or JourneyStep.CategorySkipped or JourneyStep.FileUploaded or JourneyStep.Completed
        || (e.Step is JourneyStep.Opened or JourneyStep.ConsentViewed && e.ConnectionId is null);

    public static string Category(SourceType type) => "c:" + type;

    public static string Integration(string platformKey) => "i:" + platformKey;

    /// <summary>An experiment variant's scope (34 characters: the scope column holds 40).</summary>
    public static string Variant(Guid variantId) => "v:" + variantId.ToString("N");

    /// <summary>A failure reason as a mark: short, lower case, "unknown" when none was recorded.</summary>
    public static string Failed(string? reason)
    {
        var r = string.IsNullOrWhiteSpace(reason) ? "unknown" : reason.Trim().ToLowerInvariant();
        return FailedPrefix + (r.Length > 50 ? r[..50] : r);
    }

    /// <summary>
    /// Steps after choosing a platform. A build-your-own journey (the app chose the platform in its own UI and sent the
    /// customer straight to the connection's linkUrl) never records IntegrationSelected, so "began flow" is estimated
    /// from these.
    /// </summary>
    public static bool BeginsFlow(JourneyStep step) => step is JourneyStep.IntegrationSelected or JourneyStep.OAuthStarted
        or JourneyStep.Authorized or JourneyStep.Failed or JourneyStep.FileUploaded or JourneyStep.CategorySkipped;

    /// <summary>Steps that satisfy the category they belong to.</summary>
    public static bool SatisfiesCategory(JourneyStep step) =>
        step is JourneyStep.Authorized or JourneyStep.FileUploaded or JourneyStep.CategorySkipped;
}
