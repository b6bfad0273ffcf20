namespace Consentry.Api.Tests.Architecture;

/// <summary>
/// The layers drawn in docs/architecture.md, read from the host's IL (<see cref="DependencyGraph"/>): Host and Pages use
/// anything; a feature uses Domain, Connectors, Infrastructure and another feature only along an arrow listed here;
/// Domain uses no feature; Connectors use nothing above them. A new arrow fails here until it is drawn on purpose.
/// </summary>
public sealed class LayerTests
{
    private static readonly Lazy<IReadOnlySet<(string From, string To)>> Graph =
        new(() => DependencyGraph.Of(typeof(Consentry.Connectors.PlatformConnectors).Assembly.Location));

    /// <summary>The arrows between features that are allowed: one way each, a use case calling a lower feature's handler or view.</summary>
    private static readonly HashSet<(string, string)> FeatureArrows =
    [
        ("Features.Consents", "Features.Connections"), // consents plug into the impact of a disconnect (IConnectionProductSource)
        ("Features.Consents", "Features.Sync"), // consent changes and product refreshes use the sync feature's read rules
        ("Features.Link", "Features.Integrations"), // the journey shows the integrations' branding and settings
        ("Features.Link", "Features.Monitoring"), // the journey lays the experiment variant (LinkVariants) over the settings
        ("Features.Link", "Features.Settings"), // the journey honours the client's link and CORS settings
    ];

    /// <summary>
    /// Pairs of features that still use each other both ways (issue 14 item 2 left them for later). The list may only
    /// shrink: untangle a pair, then delete its line.
    /// </summary>
    private static readonly HashSet<(string, string)> KnownTwoWayFeatures =
    [
        // PUT …/authorization links with credentials through OAuthHandOff (CredentialLinks); the SDK API unlinks through
        // UnlinkConnection and shows ConnectionImpacts. Untangled when linking with credentials moves behind ConnectionLifecycle alone.
        ("Features.Connections", "Features.Link"),
        // The Link pages' consent step (LinkConsents) lives in Consents and reads the journey's context (LinkContext); the
        // journey confirms additional consents through ConsentChanges. Untangled when LinkConsents moves into Features.Link.
        ("Features.Consents", "Features.Link"),
        // Custom data types wrap the platform's connector before Sync reads (ConfiguredSources); their API uses Sync's read rules.
        ("Features.CustomData", "Features.Sync"),
    ];

    /// <summary>Uses of a higher layer by a lower one that are still there, each with why; may only shrink.</summary>
    private static readonly HashSet<(string, string)> KnownUpward =
    [
        // ConsentryMetrics' queue gauges take the QueueSampler, which samples the webhook delivery queue.
        ("Infrastructure", "Features.Webhooks"),
    ];

    [Fact]
    public void Domain_UsesNoFeature_PagesOrHost() =>
        AssertNone(e => e.From == "Domain" && IsAbove("Domain", e.To));

    [Fact]
    public void Connectors_UseNothingAboveThem() =>
        AssertNone(e => e.From == "Connectors" && IsAbove("Connectors", e.To));

    [Fact]
    public void Infrastructure_UsesNothingAboveIt() =>
        AssertNone(e => e.From == "Infrastructure" && IsAbove("Infrastructure", e.To));

    [Fact]
    public void Features_UseNoPagesOrHost() =>
        AssertNone(e => e.From.StartsWith("Features.", StringComparison.Ordinal) && e.To is "Pages" or "Host");

    [Fact]
    public void Features_UseOtherFeatures_OnlyAlongTheDrawnArrows() =>
        AssertNone(e => e.From.StartsWith("Features.", StringComparison.Ordinal) && e.To.StartsWith("Features.", StringComparison.Ordinal)
                        && !FeatureArrows.Contains(e) && !KnownTwoWayFeatures.Contains(e) && !KnownTwoWayFeatures.Contains((e.To, e.From)));

    [Fact]
    public void NoTwoFeatures_UseEachOther_BeyondTheKnownPairs()
    {
        var pairs = DependencyGraph.TwoWay(Graph.Value).Where(p => p.Item1.StartsWith("Features.", StringComparison.Ordinal)
                                                                  && p.Item2.StartsWith("Features.", StringComparison.Ordinal));
        var unexpected = pairs.Where(p => !KnownTwoWayFeatures.Contains(p)).ToList();
        Assert.True(unexpected.Count == 0, "Features that use each other both ways: " + string.Join(", ", unexpected));
    }

    [Fact]
    public void TheGraph_SeesTheLayers()
    {
        // Guards the reader itself: if it read nothing, every rule above would pass.
        Assert.Contains(("Features.Connections", "Domain"), Graph.Value);
        Assert.Contains(("Domain", "Connectors"), Graph.Value);
        Assert.Contains(("Pages", "Features.Link"), Graph.Value);
    }

    [Fact]
    public void DependencyGraph_CatchesAnUpwardUse()
    {
        // A rule that cannot fail is no rule: the reader sees Domain's use of the connectors; the same reading of a
        // feature type from Domain would be an edge Domain → Features.X that the rules above refuse.
        var edges = new HashSet<(string, string)>(Graph.Value) { ("Domain", "Features.Link") };
        Assert.Contains(edges, e => e.Item1 == "Domain" && IsAbove("Domain", e.Item2));
    }

    private static readonly string[] Order = ["Infrastructure", "Connectors", "Domain", "Features", "Pages", "Host"];

    private static int Rank(string area) => Array.IndexOf(Order, area.StartsWith("Features.", StringComparison.Ordinal) ? "Features" : area);

    private static bool IsAbove(string from, string to) => Rank(to) > Rank(from);

    private static void AssertNone(Func<(string From, string To), bool> forbidden)
    {
        var found = Graph.Value.Where(e => forbidden(e) && !KnownUpward.Contains(e)).Order().ToList();
        Assert.True(found.Count == 0, "Arrows the layers do not allow (see docs/architecture.md#layers): "
                                      + string.Join(", ", found.Select(e => $"(\"{e.From}\", \"{e.To}\")")));
    }
}
