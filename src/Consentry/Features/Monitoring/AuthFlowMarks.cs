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

    /// <summary>The steps of the per-step drop-off, in journey order.</summary>
    public static readonly JourneyStep[] FunnelSteps =
    [
        JourneyStep.Opened, JourneyStep.ConsentViewed, JourneyStep.IntegrationSelected, JourneyStep.OAuthStarted, JourneyStep.Authorized,
    ];

    public static string Category(SourceType type) => "c:" + type;

    public static string Integration(string platformKey) => "i:" + platformKey;

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
