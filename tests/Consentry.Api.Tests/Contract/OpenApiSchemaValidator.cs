using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Pointer;
using Json.Schema;
using Json.Schema.Keywords;

namespace Consentry.Api.Tests.Contract;

/// <summary>One way an instance fails a schema: where in the instance, which schema keyword, and why.</summary>
public sealed record SchemaViolation(string InstancePath, string SchemaPath, string Keyword, string Message)
{
    public override string ToString() => $"{InstancePath}: [{Keyword}] {Message} (schema {SchemaPath})";
}

/// <summary>
/// Validates instances against the schemas of an OpenAPI document (Codat's, Plaid's, Xero's) with JsonSchema.Net
/// (draft 2020-12, which OpenAPI 3.1 uses), and reports one <see cref="SchemaViolation"/> per offending value.
/// <para>
/// The library evaluates; this class only adapts, for what the library cannot know: the document is an OpenAPI document,
/// not a schema (its schemas are reached by JSON pointer; annotation keywords such as <c>examples</c> are free-form
/// there), OpenAPI 3.0's leftovers (<c>nullable</c>: null is valid whatever the rest of the schema, or the schema it
/// refers to, says; boolean <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c>), the <c>int32</c>/<c>int64</c> formats as
/// ranges, and the report our contract tests print: one violation per missing required property and per property
/// <c>additionalProperties: false</c> refuses, a type mismatch not repeated by the other keywords of the same schema, and
/// one <c>anyOf</c>/<c>oneOf</c>/<c>not</c> violation (not one per branch) with the branches' reasons.
/// </para>
/// </summary>
public sealed class OpenApiSchemaValidator
{
    private static readonly Dialect OpenApiDialect = Dialect.Draft202012.Without(
        [ExamplesKeyword.Instance, DeprecatedKeyword.Instance, TitleKeyword.Instance, DescriptionKeyword.Instance,
         ReadOnlyKeyword.Instance, WriteOnlyKeyword.Instance, DefaultKeyword.Instance],
        new Uri("https://consentry.test/dialects/openapi-schemas"), null, true);

    private static int _documents;

    private readonly ConcurrentDictionary<string, JsonNode> _resolved = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly Uri _base;
    private readonly Lazy<BuildOptions> _build;
    private readonly Lazy<Dictionary<JsonNode, string>> _pointers;
    private readonly EvaluationOptions _evaluation;

    public OpenApiSchemaValidator(JsonNode document)
    {
        Document = document;
        _base = new Uri($"https://consentry.test/documents/{Interlocked.Increment(ref _documents)}.json");
        _build = new(BuildDocument);
        _pointers = new(() => PointersOf(Document));
        _evaluation = new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };
        _evaluation.FormatRegistry.Register(new IntegerFormat("int32", int.MinValue, int.MaxValue));
        _evaluation.FormatRegistry.Register(new IntegerFormat("int64", long.MinValue, long.MaxValue));
    }

    public JsonNode Document { get; }

    /// <summary>Validates <paramref name="instance"/> against the schema found at <paramref name="schemaPointer"/> (e.g. <c>#/components/schemas/Company</c>).</summary>
    public IReadOnlyList<SchemaViolation> Validate(JsonNode? instance, string schemaPointer)
    {
        Resolve(schemaPointer); // a clear error for a pointer that leads nowhere
        var schema = _schemas.GetOrAdd(schemaPointer, pointer =>
            JsonSchema.FromText(new JsonObject { ["$ref"] = _base + pointer }.ToJsonString(), _build.Value,
                new Uri($"https://consentry.test/refs/{Guid.NewGuid():N}")));
        return Evaluate(instance, schema);
    }

    /// <summary>Validates <paramref name="instance"/> against <paramref name="schema"/>, a node of the document or a boolean schema.</summary>
    public IReadOnlyList<SchemaViolation> Validate(JsonNode? instance, JsonNode schema, string schemaPath = "#")
    {
        if (_pointers.Value.TryGetValue(schema, out var pointer))
        {
            return Validate(instance, pointer);
        }

        if (schema is JsonValue flag && flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return flag.GetValueKind() == JsonValueKind.True ? [] : [new(Path(instance, "", out _), schemaPath, "false", "no value is allowed here")];
        }

        throw new InvalidOperationException($"The schema at {schemaPath} is not a node of this document.");
    }

    /// <summary>Follows a local reference (<c>#/a/b~1c/%7Bd%7D</c>) to a node of the document.</summary>
    public JsonNode Resolve(string reference) =>
        reference.StartsWith('#')
            ? TryResolve(reference) ?? throw new InvalidOperationException($"The reference '{reference}' does not resolve in the document.")
            : throw new InvalidOperationException($"Only local references are supported: '{reference}'.");

    private JsonNode? TryResolve(string reference)
    {
        if (_resolved.TryGetValue(reference, out var known))
        {
            return known;
        }

        if (!JsonPointer.TryParse(Uri.UnescapeDataString(reference[1..]), out var pointer) || !pointer.TryEvaluate(Document, out var node) || node is null)
        {
            return null;
        }

        return _resolved.GetOrAdd(reference, node);
    }

    private BuildOptions BuildDocument()
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = OpenApiDialect };
        var copy = Document.DeepClone();
        ConvertOpenApi30(copy);
        JsonSchema.FromText(copy.ToJsonString(), options, _base);
        return options;
    }

    /// <summary>OpenAPI 3.0's boolean <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c> become 2020-12's numeric ones.</summary>
    private static void ConvertOpenApi30(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (exclusive, bound) in new[] { ("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum") })
                {
                    if (o[exclusive] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                    {
                        o.Remove(exclusive);
                        if (v.GetValueKind() == JsonValueKind.True && o[bound] is { } limit)
                        {
                            o.Remove(bound);
                            o[exclusive] = limit;
                        }
                    }
                }

                foreach (var (_, child) in o.ToList())
                {
                    ConvertOpenApi30(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    ConvertOpenApi30(child);
                }

                break;
        }
    }

    private IReadOnlyList<SchemaViolation> Evaluate(JsonNode? instance, JsonSchema schema)
    {
        var element = JsonSerializer.SerializeToElement(instance);
        var found = new List<SchemaViolation>();
        Collect(schema.Evaluate(element, _evaluation), instance, found);

        // In the order of the instance, as a reader goes through it.
        var order = DocumentOrder(instance);
        return [.. found.Select((v, i) => (v, i)).OrderBy(x => OrderOf(order, x.v.InstancePath)).ThenBy(x => x.i).Select(x => x.v)];
    }

    /// <summary>The violations of one evaluated (sub)schema and what it applied, as our report words them.</summary>
    private void Collect(EvaluationResults result, JsonNode? root, List<SchemaViolation> found)
    {
        var at = Path(root, result.InstanceLocation.ToString(), out var instance);
        var (schemaNode, schemaPath) = SchemaNode(result.SchemaLocation);
        if (instance is null && (schemaNode as JsonObject)?["nullable"] is JsonValue n && n.GetValueKind() == JsonValueKind.True)
        {
            return; // OpenAPI 3.0: null is valid whatever else the schema says
        }

        var errors = result.Errors ?? new Dictionary<string, string>();
        var typeFailed = errors.ContainsKey("type");
        foreach (var (keyword, message) in errors.Where(e => !typeFailed || e.Key == "type"))
        {
            if (keyword == "required" && (schemaNode as JsonObject)?["required"] is JsonArray required && instance is JsonObject obj)
            {
                found.AddRange(required.Select(r => r!.GetValue<string>()).Where(name => !obj.ContainsKey(name))
                    .Select(name => new SchemaViolation(Child(at, name), schemaPath + "/required", "required", $"the required property '{name}' is missing")));
            }
            else if (keyword.Length == 0)
            {
                found.Add(result.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal)
                    ? new(at, schemaPath, "additionalProperties", NotAllowed(schemaPath))
                    : new(at, schemaPath, "false", message));
            }
            else
            {
                found.Add(new(at, schemaPath + "/" + keyword, keyword, message));
            }
        }

        var children = result.Details ?? [];
        var combinators = children.GroupBy(c => Combinator(c.EvaluationPath.ToString())).ToList();
        foreach (var group in combinators)
        {
            if (group.Key is null)
            {
                foreach (var child in group.Where(c => !typeFailed || c.EvaluationPath.ToString().EndsWith("/$ref", StringComparison.Ordinal)))
                {
                    Collect(child, root, found);
                }

                continue;
            }

            if (typeFailed)
            {
                continue; // the other keywords would only repeat the mismatch
            }

            var branches = group.Select(c =>
            {
                var inner = new List<SchemaViolation>();
                Collect(c, root, inner);
                return inner;
            }).ToList();
            var matching = branches.Count(b => b.Count == 0);
            var why = string.Join("; ", branches.Select((b, i) => $"#{i}: {string.Join(", ", b.Take(3).Select(e => $"{e.InstancePath} {e.Message}"))}"));
            var failure = group.Key switch
            {
                "anyOf" when matching == 0 => "matches none of the schemas: " + why,
                "oneOf" when matching == 0 => "matches none of the schemas: " + why,
                "oneOf" when matching > 1 => $"matches {matching} of the schemas, exactly one is required",
                "not" when matching == 1 => "matches a schema it must not match",
                _ => null,
            };
            if (failure is not null)
            {
                found.Add(new(at, $"{schemaPath}/{group.Key}", group.Key, failure));
            }
        }
    }

    private string NotAllowed(string additionalPropertiesPath)
    {
        var owner = Resolve(additionalPropertiesPath[..additionalPropertiesPath.LastIndexOf('/')]);
        var declared = (owner["properties"] as JsonObject)?.Select(p => p.Key) ?? [];
        return $"the property is not allowed (additionalProperties: false; allowed: {string.Join(", ", declared)})";
    }

    /// <summary><c>anyOf</c>, <c>oneOf</c>, <c>not</c> or <c>if</c> (whose failure is no error) when the evaluation path ends in one of their branches.</summary>
    private static string? Combinator(string evaluationPath)
    {
        var segments = evaluationPath.Split('/');
        return segments switch
        {
            [.., "not"] => "not",
            [.., "if"] => "if",
            [.., "anyOf" or "oneOf", var index] when int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out _) => segments[^2],
            _ => null,
        };
    }

    /// <summary>
    /// The schema a result node evaluated. For a subschema applied to a child (<c>additionalProperties</c>, <c>items</c>,
    /// <c>not</c>), JsonSchema.Net 8's location may carry the child's name as one segment too many: then its parent is it.
    /// </summary>
    private (JsonNode? Node, string Path) SchemaNode(Uri location)
    {
        var fragment = Uri.UnescapeDataString(location.Fragment.TrimStart('#'));
        if (!string.Equals(location.GetLeftPart(UriPartial.Path), _base.GetLeftPart(UriPartial.Path), StringComparison.Ordinal)
            || (fragment.Length > 0 && !fragment.StartsWith('/')))
        {
            return (null, "#" + fragment);
        }

        for (var pointer = fragment; ; pointer = pointer[..pointer.LastIndexOf('/')])
        {
            if (TryResolve("#" + pointer) is { } node && node is JsonObject or JsonValue)
            {
                return (node, "#" + pointer);
            }

            if (pointer.Length == 0)
            {
                return (null, "#" + fragment);
            }
        }
    }

    /// <summary>Our report's path (<c>$.parts[1].n</c>) of a JSON pointer into the instance, and the value there.</summary>
    private static string Path(JsonNode? root, string pointer, out JsonNode? value)
    {
        var at = "$";
        value = root;
        if (pointer.Length == 0)
        {
            return at;
        }

        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (value is JsonArray array && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                at += $"[{index}]";
                value = index < array.Count ? array[index] : null;
            }
            else
            {
                at = Child(at, token);
                value = value is JsonObject o && o.TryGetPropertyValue(token, out var child) ? child : null;
            }
        }

        return at;
    }

    private static string Child(string at, string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or '$') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$')
            ? $"{at}.{name}"
            : $"{at}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    private static Dictionary<string, int> DocumentOrder(JsonNode? instance)
    {
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string at)
        {
            order.TryAdd(at, order.Count);
            switch (node)
            {
                case JsonObject o:
                    foreach (var (name, child) in o)
                    {
                        Walk(child, Child(at, name));
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        Walk(a[i], $"{at}[{i}]");
                    }

                    break;
            }
        }

        Walk(instance, "$");
        return order;
    }

    /// <summary>A path's place in the instance; a missing property (required) sits with the object that lacks it.</summary>
    private static int OrderOf(Dictionary<string, int> order, string path)
    {
        for (var p = path; p.Length > 0;)
        {
            if (order.TryGetValue(p, out var index))
            {
                return index;
            }

            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            p = cut > 0 ? p[..cut] : "";
        }

        return -1;
    }

    /// <summary>Every object and array of the document with its JSON pointer, so a schema node handed in can be found.</summary>
    private static Dictionary<JsonNode, string> PointersOf(JsonNode document)
    {
        var pointers = new Dictionary<JsonNode, string>(ReferenceEqualityComparer.Instance);
        void Walk(JsonNode? node, string pointer)
        {
            switch (node)
            {
                case JsonObject o:
                    pointers[o] = pointer;
                    foreach (var (name, child) in o)
                    {
                        Walk(child, pointer + "/" + Uri.EscapeDataString(name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
                    }

                    break;
                case JsonArray a:
                    pointers[a] = pointer;
                    for (var i = 0; i < a.Count; i++)
                    {
                        Walk(a[i], pointer + "/" + i.ToString(CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }

        Walk(document, "#");
        return pointers;
    }

    /// <summary>OpenAPI's <c>int32</c>/<c>int64</c>: an integer within the range (JSON Schema itself does not define them).</summary>
    private sealed class IntegerFormat(string key, double min, double max) : Json.Schema.Format(key)
    {
        public override bool Validate(JsonElement element, out string? errorMessage)
        {
            errorMessage = null;
            return element.ValueKind != JsonValueKind.Number
                || (element.TryGetDecimal(out var d) ? decimal.Truncate(d) == d && (double)d >= min && (double)d <= max : false);
        }
    }
}
