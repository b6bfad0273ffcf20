using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Consentry.Sandbox.Simulators.QuickBooks;

/// <summary>
/// The subset of Intuit's query language the connector sends:
/// <c>select * from &lt;Entity&gt; [where MetaData.LastUpdatedTime &gt; '&lt;ts&gt;' [and Active in (true,false)]]
/// [orderby &lt;field&gt; [asc|desc]] [STARTPOSITION n] [MAXRESULTS m]</c>. Anything else is refused the way Intuit refuses a
/// query it cannot parse (a ValidationFault, code 4000), so the connector cannot drift into queries the simulator fakes.
/// </summary>
internal sealed partial record QuickBooksQuery(string Entity, DateTimeOffset? UpdatedAfter, bool IncludeInactive, int StartPosition, int MaxResults)
{
    /// <summary>Intuit's cap: a query answers at most 1,000 entities.</summary>
    public const int MaxPage = 1000;

    public static readonly string[] Queryable = ["CompanyInfo", .. QuickBooksData.Entities];

    /// <summary>Name-list entities: Intuit returns only active ones unless the query asks about <c>Active</c>.</summary>
    public static bool HasActive(string entity) => entity is "Account" or "Customer" or "Vendor";

    public static QuickBooksQuery? Parse(string? text, out string error)
    {
        error = "";
        var match = text is null ? null : Grammar().Match(text);
        if (match is null || !match.Success)
        {
            error = $"Error parsing query: QueryParserError: Encountered an unsupported or invalid statement: {text}";
            return null;
        }

        var entity = Queryable.FirstOrDefault(e => string.Equals(e, match.Groups["entity"].Value, StringComparison.OrdinalIgnoreCase));
        if (entity is null)
        {
            error = $"Invalid query: unknown entity {match.Groups["entity"].Value}";
            return null;
        }

        DateTimeOffset? after = null;
        var inactive = false;
        if (match.Groups["where"].Success)
        {
            foreach (var condition in AndSplit().Split(match.Groups["where"].Value.Trim()))
            {
                if (Updated().Match(condition) is { Success: true } u && DateTimeOffset.TryParse(u.Groups["ts"].Value, CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal, out var ts))
                {
                    after = ts;
                }
                else if (ActiveBoth().IsMatch(condition) && HasActive(entity))
                {
                    inactive = true;
                }
                else
                {
                    error = $"Error parsing query: QueryValidationError: property or condition is not supported: {condition}";
                    return null;
                }
            }
        }

        var start = match.Groups["start"].Success ? int.Parse(match.Groups["start"].Value, CultureInfo.InvariantCulture) : 1;
        var max = match.Groups["max"].Success ? int.Parse(match.Groups["max"].Value, CultureInfo.InvariantCulture) : 100;
        return new QuickBooksQuery(entity, after, inactive, Math.Max(1, start), Math.Clamp(max, 1, MaxPage));
    }

    public bool Matches(JsonObject record) =>
        (UpdatedAfter is not { } after || SimulatedCompany.LastUpdated(record) > after)
        && (IncludeInactive || !HasActive(Entity) || record["Active"]?.GetValue<bool>() != false);

    [GeneratedRegex(@"^\s*select\s+\*\s+from\s+(?<entity>\w+)(\s+where\s+(?<where>.+?))?(\s+orderby\s+[\w.]+(\s+(asc|desc))?)?(\s+startposition\s+(?<start>\d{1,9}))?(\s+maxresults\s+(?<max>\d{1,9}))?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Grammar();

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AndSplit();

    [GeneratedRegex(@"^MetaData\.LastUpdatedTime\s*>\s*'(?<ts>[^']+)'$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Updated();

    [GeneratedRegex(@"^Active\s+in\s*\(\s*(true\s*,\s*false|false\s*,\s*true)\s*\)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ActiveBoth();
}
