using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Consentry.Api.Tests.Cluster;

namespace Consentry.Api.Tests.Link;

/// <summary>
/// Every text a Link page can show has a translation in every language: the literal texts the pages and their services
/// hand to the localizer (<c>L.T("…")</c>, error pages, refusals, readable errors with their holes numbered as
/// <see cref="FormattableString.Format"/> numbers them) and the catalogue's credential forms, read from the sources.
/// A text added in English only fails here, naming it.
/// </summary>
public sealed partial class LinkTextCompletenessTests
{
    private static readonly string Root = NginxProcess.RepositoryRoot();

    [Theory]
    [InlineData("fr")]
    [InlineData("de")]
    [InlineData("es")]
    [InlineData("nl")]
    public void EveryTextTheLinkPagesShow_IsTranslated(string locale)
    {
        var names = XDocument.Load(Path.Combine(Root, $"src/Consentry/Features/Link/Localization/LinkText.{locale}.resx"))
            .Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToList();
        // The build keeps only the first of two names that differ in case ("Banking", "banking"), with a warning, and the
        // lookup is case-sensitive: the other text would show in English.
        var clashing = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g)).ToList();
        Assert.True(clashing.Count == 0, $"{locale} has names the build drops:\n" + string.Join("\n", clashing));
        var translated = names.ToHashSet(StringComparer.Ordinal);
        var texts = Texts();
        Assert.True(texts.Count > 120, $"only {texts.Count} texts were found: the patterns no longer match the sources");

        var missing = texts.Where(t => !translated.Contains(t)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"{locale} has no translation for:\n" + string.Join("\n", missing));
    }

    private static HashSet<string> Texts()
    {
        var texts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Sources())
        {
            var source = File.ReadAllText(file);
            foreach (Match m in Literal().Matches(source))
            {
                texts.Add(Unescape(m.Groups["text"].Value));
            }

            foreach (Match m in Readable().Matches(source))
            {
                texts.Add(Numbered(Unescape(m.Groups["text"].Value)));
            }
        }

        var catalogue = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "src/Consentry/Features/Integrations/integrations.json")))!;
        var integrations = catalogue is JsonArray list ? list : catalogue["integrations"]!.AsArray();
        foreach (var form in integrations.Select(i => i?["credentials"]).OfType<JsonObject>())
        {
            texts.UnionWith(new[] { form["title"], form["description"] }.Concat(form["fields"]!.AsArray()
                .SelectMany(f => new[] { f!["label"], f["helpText"] })).OfType<JsonNode>().Select(n => n.GetValue<string>()));
        }

        return texts;
    }

    /// <summary>The Link pages, their models and services, the shared look-ups they show errors from, and the credential connectors.</summary>
    private static IEnumerable<string> Sources() =>
        new[] { "src/Consentry/Pages/Link", "src/Consentry/Features/Link", "src/Consentry/Domain", "src/Consentry/Connectors" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || (f.EndsWith(".cs", StringComparison.Ordinal) && IsShownToCustomers(f)));

    private static bool IsShownToCustomers(string file) =>
        file.Contains("/Pages/Link/", StringComparison.Ordinal) || file.Contains("/Features/Link/", StringComparison.Ordinal)
        || file.EndsWith("IntegrationMessages.cs", StringComparison.Ordinal) || file.EndsWith("ConnectionFactory.cs", StringComparison.Ordinal)
        || File.ReadAllText(file).Contains("CredentialCheck.", StringComparison.Ordinal);

    /// <summary><c>$"… {expression} …"</c> as the localizer's key: each hole numbered in order, as C# compiles it.</summary>
    private static string Numbered(string template)
    {
        var index = 0;
        return Hole().Replace(template, _ => $"{{{index++}}}");
    }

    private static string Unescape(string literal) => literal.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);

    // L.T("…"), T("…"), ErrorPage(status, "…"), Refused("…"), CredentialCheck.Refused/Unavailable("…"), ReadableText.Plain("…").
    [GeneratedRegex("""(?:\bL\.T|\bl\.T|ErrorPage\(StatusCodes\.\w+,|\bRefused|\bUnavailable|ReadableText\.Plain)\(?\s*"(?<text>(?:[^"\\]|\\.)+)"[,)]""")]
    private static partial Regex Literal();

    // Error.Readable(kind, $"…"), ReadableText.Of($"…"), and the switch arms of a FormattableString (IntegrationMessages).
    [GeneratedRegex("""(?:Error\.Readable\(ErrorKind\.\w+,\s*|ReadableText\.Of\(|(?:\}|\b_)\s*=>\s*)\$"(?<text>(?:[^"\\]|\\.)+)"[,);]""")]
    private static partial Regex Readable();

    [GeneratedRegex(@"\{[^{}]+\}")]
    private static partial Regex Hole();
}
