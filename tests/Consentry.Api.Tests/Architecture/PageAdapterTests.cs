using Mono.Cecil;

namespace Consentry.Api.Tests.Architecture;

/// <summary>
/// Pages adapt use cases, not HTTP handlers (issue 14 item 3; docs/architecture.md#handlers-return-results): a use case
/// answers a value or an <c>Error</c>; its <c>…Endpoints</c> handler turns that into HTTP, and a page into its own
/// state. Read from the host's IL (<see cref="DependencyGraph.UsesOf"/>): no page, compiled view or page base class
/// names an HTTP result type (<c>Microsoft.AspNetCore.Http.HttpResults</c>, <c>IResult</c>, <c>CodatError</c>) or an
/// <c>…Endpoints</c> class.
/// </summary>
public sealed class PageAdapterTests
{
    private const string PageModel = "Microsoft.AspNetCore.Mvc.RazorPages.PageModel";

    private static readonly Lazy<IReadOnlyList<TypeUse>> PageUses =
        new(() => DependencyGraph.UsesOf(typeof(Consentry.Connectors.PlatformConnectors).Assembly.Location, IsPageOrPageBase));

    private static readonly Lazy<IReadOnlyList<TypeUse>> FeatureUses =
        new(() => DependencyGraph.UsesOf(typeof(Consentry.Connectors.PlatformConnectors).Assembly.Location,
            t => DependencyGraph.Area(t) is { } area && area.StartsWith("Features.", StringComparison.Ordinal)));

    private static readonly HashSet<string> HttpResultTypes =
    [
        "Microsoft.AspNetCore.Http.IResult",
        "Microsoft.AspNetCore.Http.INestedHttpResult",
        "Consentry.Infrastructure.Errors.CodatError",
    ];

    [Fact]
    public void Pages_UseNoHttpResultsAndNoEndpoints()
    {
        var found = PageUses.Value.Where(IsForbidden).Select(u => $"{u.User} → {u.FullName}").Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(found.Count == 0, "Pages that call API handlers or read HTTP results (call the feature's use case and adapt its "
                                      + "value or Error instead; see docs/architecture.md#handlers-return-results):\n" + string.Join("\n", found));
    }

    [Fact]
    public void TheRule_SeesPagesAndHttpResults()
    {
        // Guards the reader and the rule: they see the pages (code-behind, views and their base classes) and what
        // they use, and the same rule does flag the endpoints, which rightly answer HTTP results.
        Assert.Contains(PageUses.Value, u => u.User == "Consentry.Pages.Portal.Settings.ApiKeysModel" && u.Name == "IActionResult");
        Assert.Contains(PageUses.Value, u => u.User == "Consentry.Features.Portal.PortalPageModel");
        Assert.Contains(PageUses.Value, u => u.User.StartsWith("AspNetCoreGeneratedDocument.", StringComparison.Ordinal));
        Assert.Contains(FeatureUses.Value, u => u.User == "Consentry.Features.ApiKeys.ApiKeysEndpoints" && IsForbidden(u));
        Assert.Contains(FeatureUses.Value, u => u.Ours && u.Name.EndsWith("Endpoints", StringComparison.Ordinal) && IsForbidden(u));
    }

    private static bool IsForbidden(TypeUse use) =>
        use.Namespace == "Microsoft.AspNetCore.Http.HttpResults" || HttpResultTypes.Contains(use.FullName)
        || (use.Ours && use.Name.EndsWith("Endpoints", StringComparison.Ordinal));

    /// <summary>A page (code-behind or compiled view, nested compiler types included) or a page model a page derives from.</summary>
    private static bool IsPageOrPageBase(TypeDefinition type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        if (DependencyGraph.Area(type) == "Pages")
        {
            return true;
        }

        for (var baseType = type.BaseType; baseType is not null; baseType = (baseType as TypeDefinition)?.BaseType)
        {
            if (baseType.FullName == PageModel)
            {
                return true;
            }
        }

        return false;
    }
}
