using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Contract;
using YamlDotNet.RepresentationModel;

namespace Consentry.Api.Tests.Platforms;

/// <summary>
/// The published API documents the platform tests hold our code to: the vendors' (under
/// <c>shared/reference/platforms</c>) and Codat's data shapes (<c>shared/reference/codat-oas</c>), YAML or JSON,
/// loaded once as JSON and validated with <see cref="OpenApiSchemaValidator"/>.
/// </summary>
public static partial class VendorDocuments
{
    private static readonly Lazy<OpenApiSchemaValidator> LendingValidator = new(() => new OpenApiSchemaValidator(Load("codat-oas/Codat-Lending.yaml")));

    /// <summary>Codat's accounting shapes (<c>AccountingInvoice</c>, <c>AccountingCustomer</c>…), from the Lending document.</summary>
    public static OpenApiSchemaValidator CodatLending => LendingValidator.Value;

    /// <summary>The violations of <paramref name="record"/> against Codat's schema <paramref name="schemaName"/> (e.g. <c>AccountingInvoice</c>).</summary>
    public static IReadOnlyList<SchemaViolation> ValidateCodat(JsonNode? record, string schemaName) =>
        CodatLending.Validate(record, $"#/components/schemas/{schemaName}");

    /// <summary>A document under the reference folder (<c>platforms/xero/xero_accounting.yaml</c>), as JSON.</summary>
    public static JsonObject Load(string relativePath)
    {
        var path = Path.Combine(ReferenceFolder(), relativePath);
        var text = File.ReadAllText(path);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return JsonNode.Parse(text)!.AsObject();
        }

        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        return ToJson(yaml.Documents[0].RootNode)!.AsObject();
    }

    /// <summary><c>shared/reference</c>: found by walking up from the test binaries (the checkout sits beside <c>shared</c>).</summary>
    public static string ReferenceFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "reference"), Path.Combine(dir.FullName, "..", "shared", "reference") })
            {
                if (Directory.Exists(Path.Combine(candidate, "codat-oas")))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        throw new DirectoryNotFoundException("shared/reference (the vendors' and Codat's documents) was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>YAML to JSON with the YAML 1.2 core schema: plain scalars become numbers, booleans and null where they read as such.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s => Plain(s.Value ?? ""),
        YamlScalarNode s => JsonValue.Create(s.Value ?? ""),
        _ => null,
    };

    private static JsonValue? Plain(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        _ when FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        _ => JsonValue.Create(value),
    };

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
