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

    /// <summary>
    /// The arrows between features that are allowed: one way each, a use case calling a lower feature's handler or view.
    /// docs/architecture.md#layers lists the same arrows (<see cref="TheDocs_ListExactlyTheFeatureArrows"/>).
    /// </summary>
    private static readonly HashSet<(string, string)> FeatureArrows =
    [
        ("Features.Consents", "Features.Connections"), // consents plug into the impact of a disconnect (IConnectionProductSource)
        ("Features.Consents", "Features.Sync"), // consent changes and product refreshes use the sync feature's read rules
        ("Features.CustomData", "Features.Sync"), // custom data types queue reads with Sync's rules and wrap its reads (IConfiguredSources)
        ("Features.Link", "Features.Connections"), // the SDK API unlinks (UnlinkConnection) and shows a disconnect's impact (ConnectionImpacts)
        ("Features.Link", "Features.Consents"), // the journey and the SDK API confirm and revoke consents (ConsentChanges) and show them
        ("Features.Link", "Features.Integrations"), // the journey shows the integrations' branding and settings
        ("Features.Link", "Features.Monitoring"), // the journey lays the experiment variant (LinkVariants) over the settings
        ("Features.Link", "Features.Settings"), // the journey honours the client's link and CORS settings
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
                        && !FeatureArrows.Contains(e));

    [Fact]
    public void NoTwoFeatures_UseEachOther()
    {
        var pairs = DependencyGraph.TwoWay(Graph.Value).Where(p => p.Item1.StartsWith("Features.", StringComparison.Ordinal)
                                                                  && p.Item2.StartsWith("Features.", StringComparison.Ordinal)).ToList();
        Assert.True(pairs.Count == 0, "Features that use each other both ways: " + string.Join(", ", pairs));
    }

    [Fact]
    public void TheFeatureArrows_AreOneWay_AndAllStillUsed()
    {
        // An arrow drawn both ways would let a pair tangle again; an arrow nothing uses any more would make the drawing untrue.
        Assert.DoesNotContain(FeatureArrows, a => FeatureArrows.Contains((a.Item2, a.Item1)));
        var unused = FeatureArrows.Where(a => !Graph.Value.Contains(a)).Order().ToList();
        Assert.True(unused.Count == 0, "Arrows no feature uses any more (delete them here and in docs/architecture.md): " + string.Join(", ", unused));
    }

    [Fact]
    public void TheDocs_ListExactlyTheFeatureArrows()
    {
        var drawn = DocumentedFeatureArrows();
        Assert.NotEmpty(drawn); // the reader found the table
        Assert.True(drawn.SetEquals(FeatureArrows),
            "docs/architecture.md#layers lists other feature arrows than LayerTests.FeatureArrows. Only in the docs: "
            + string.Join(", ", drawn.Except(FeatureArrows).Order()) + "; only here: " + string.Join(", ", FeatureArrows.Except(drawn).Order()));
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
        var found = Graph.Value.Where(forbidden).Order().ToList();
        Assert.True(found.Count == 0, "Arrows the layers do not allow (see docs/architecture.md#layers): "
                                      + string.Join(", ", found.Select(e => $"(\"{e.From}\", \"{e.To}\")")));
    }

    /// <summary>The rows <c>| `Features.A` | `Features.B` | why |</c> of the arrows table in docs/architecture.md's Layers section.</summary>
    private static HashSet<(string, string)> DocumentedFeatureArrows()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Consentry.slnx")))
        {
            root = root.Parent ?? throw new InvalidOperationException("The repository root (Consentry.slnx) was not found.");
        }

        var text = File.ReadAllText(Path.Combine(root.FullName, "docs", "architecture.md"));
        var start = text.IndexOf("\n## Layers\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/architecture.md has no Layers section.");
        var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? text[start..] : text[start..end];
        return
        [
            .. System.Text.RegularExpressions.Regex.Matches(section, @"^\|\s*`(Features\.\w+)`\s*\|\s*`(Features\.\w+)`\s*\|",
                    System.Text.RegularExpressions.RegexOptions.Multiline)
                .Select(m => (m.Groups[1].Value, m.Groups[2].Value)),
        ];
    }
}
