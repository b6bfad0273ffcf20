using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Consentry.Api.Tests.Contract;

/// <summary>One way an instance fails a schema: where in the instance, which schema keyword, and why.</summary>
public sealed record SchemaViolation(string InstancePath, string SchemaPath, string Keyword, string Message)
{
    public override string ToString() => $"{InstancePath}: [{Keyword}] {Message} (schema {SchemaPath})";
}

/// <summary>
/// A small JSON Schema validator for the dialect of Codat's OpenAPI documents (OpenAPI 3.1 with OAS 3.0 leftovers),
/// over <see cref="System.Text.Json.Nodes"/>.
/// <para>
/// Hand-written: when it was written the usual libraries were not served here. JsonSchema.Net 8.0.5 now is, but it is
/// not swapped in yet: the tests (OpenApiSchemaValidatorTests and every contract test's message) rely on this report's
/// shape, one violation per offending value with its own path and keyword (<c>required</c> per missing property,
/// <c>additionalProperties</c> per extra one), OAS 3.0 <c>nullable</c> and the <c>int32</c>/<c>int64</c>/<c>uri</c>
/// formats as Codat means them; the library reports per schema location and would need an adapter and a conversion
/// step for those, which issue 20's session did not finish. The document needs only a small part of JSON Schema. Supported: <c>$ref</c> as a JSON pointer to anywhere in
/// the document (percent-encoding, <c>~1</c> and <c>~0</c> unescaped; siblings of <c>$ref</c> apply too, as in
/// OAS 3.1), <c>type</c> (a name or a list), <c>nullable</c> (OAS 3.0: null is allowed whatever else the schema
/// says), <c>enum</c>, <c>const</c>, <c>properties</c>, <c>required</c>, <c>additionalProperties</c> (bool or schema),
/// <c>propertyNames</c>, <c>minProperties</c>/<c>maxProperties</c>, <c>items</c>, <c>minItems</c>/<c>maxItems</c>,
/// <c>uniqueItems</c>, <c>allOf</c>, <c>anyOf</c>, <c>oneOf</c>, <c>not</c>, <c>minLength</c>/<c>maxLength</c> (in
/// code points), <c>pattern</c> (unanchored, as JSON Schema says), <c>minimum</c>/<c>maximum</c>,
/// <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c> (3.1 numeric form), and the formats <c>uuid</c>,
/// <c>date-time</c>, <c>date</c>, <c>uri</c>, <c>uri-reference</c>, <c>int32</c> and <c>int64</c>. Other keywords
/// (<c>title</c>, <c>description</c>, <c>example</c>, <c>x-*</c>, <c>definitions</c>…) are annotations and ignored;
/// other formats are not checked.
/// </para>
/// <para>
/// Every violation is collected (not just the first), each with the JSON path of the offending value. The known bugs
/// of Codat's document are corrected before validation, openly, in <see cref="CodatSpec"/>: this class validates
/// exactly what the document says.
/// </para>
/// </summary>
public sealed partial class OpenApiSchemaValidator(JsonNode document)
{
    private const int MaxDepth = 200;
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonNode> _resolved = new(StringComparer.Ordinal);

    public JsonNode Document { get; } = document;

    /// <summary>Validates <paramref name="instance"/> against the schema found at <paramref name="schemaPointer"/> (e.g. <c>#/components/schemas/Company</c>).</summary>
    public IReadOnlyList<SchemaViolation> Validate(JsonNode? instance, string schemaPointer) =>
        Validate(instance, Resolve(schemaPointer), schemaPointer);

    /// <summary>Validates <paramref name="instance"/> against <paramref name="schema"/>, which lives at <paramref name="schemaPath"/>.</summary>
    public IReadOnlyList<SchemaViolation> Validate(JsonNode? instance, JsonNode schema, string schemaPath = "#")
    {
        var violations = new List<SchemaViolation>();
        Check(instance, schema, "$", schemaPath, violations, 0);
        return violations;
    }

    /// <summary>Follows a local reference (<c>#/a/b~1c/%7Bd%7D</c>) to a node of the document.</summary>
    public JsonNode Resolve(string reference) => _resolved.GetOrAdd(reference, ResolveUncached);

    private JsonNode ResolveUncached(string reference)
    {
        if (!reference.StartsWith('#'))
        {
            throw new InvalidOperationException($"Only local references are supported: '{reference}'.");
        }

        // A URI fragment: percent-decode first, then split into JSON pointer tokens and unescape ~1 (/) before ~0 (~).
        var pointer = Uri.UnescapeDataString(reference[1..]);
        var node = Document;
        if (pointer.Length == 0)
        {
            return node;
        }

        if (!pointer.StartsWith('/'))
        {
            throw new InvalidOperationException($"'{reference}' is not a JSON pointer.");
        }

        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            JsonNode? next = node switch
            {
                JsonObject o => o.TryGetPropertyValue(token, out var child) ? child : null,
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
            node = next ?? throw new InvalidOperationException($"The reference '{reference}' does not resolve: no '{token}'.");
        }

        return node;
    }

    private void Check(JsonNode? instance, JsonNode schema, string at, string schemaPath, List<SchemaViolation> errors, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"Schema recursion deeper than {MaxDepth} at {schemaPath} (a $ref cycle?).");
        }

        if (schema is JsonValue boolean && boolean.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            if (boolean.GetValueKind() == JsonValueKind.False)
            {
                errors.Add(new(at, schemaPath, "false", "no value is allowed here"));
            }

            return;
        }

        if (schema is not JsonObject s)
        {
            throw new InvalidOperationException($"The schema at {schemaPath} is not an object or a boolean.");
        }

        // OAS 3.0 "nullable": null is valid whatever the rest of the schema (or the schema it refers to) says.
        if (instance is null && IsTrue(s["nullable"]))
        {
            return;
        }

        if (s["$ref"] is JsonValue reference)
        {
            var target = reference.GetValue<string>();
            Check(instance, Resolve(target), at, target, errors, depth + 1);
        }

        if (s["type"] is { } type && !CheckType(instance, type, at, schemaPath, errors))
        {
            return; // the other keywords would only repeat the mismatch
        }

        CheckEnumAndConst(instance, s, at, schemaPath, errors);
        switch (instance)
        {
            case JsonObject obj:
                CheckObject(obj, s, at, schemaPath, errors, depth);
                break;
            case JsonArray array:
                CheckArray(array, s, at, schemaPath, errors, depth);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                CheckString(value.GetValue<string>(), s, at, schemaPath, errors);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                CheckNumber(value, s, at, schemaPath, errors);
                break;
            default:
                break;
        }

        CheckCombinators(instance, s, at, schemaPath, errors, depth);
    }

    private static bool CheckType(JsonNode? instance, JsonNode type, string at, string schemaPath, List<SchemaViolation> errors)
    {
        string[] allowed = type switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
            JsonArray a => [.. a.Select(t => t!.GetValue<string>())],
            _ => throw new InvalidOperationException($"'type' at {schemaPath} is neither a name nor a list of names."),
        };
        if (allowed.Any(t => Matches(instance, t, schemaPath)))
        {
            return true;
        }

        errors.Add(new(at, schemaPath + "/type", "type", $"expected {string.Join(" or ", allowed)} but found {Describe(instance)}"));
        return false;
    }

    private static bool Matches(JsonNode? instance, string type, string schemaPath)
    {
        var kind = instance?.GetValueKind() ?? JsonValueKind.Null;
        return type switch
        {
            "null" => kind == JsonValueKind.Null,
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "number" => kind == JsonValueKind.Number,
            "integer" => kind == JsonValueKind.Number && IsInteger(instance!.AsValue()),
            _ => throw new InvalidOperationException($"Unknown type '{type}' at {schemaPath}."),
        };
    }

    private static void CheckEnumAndConst(JsonNode? instance, JsonObject s, string at, string schemaPath, List<SchemaViolation> errors)
    {
        if (s["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, instance)))
        {
            errors.Add(new(at, schemaPath + "/enum", "enum",
                $"{Describe(instance)} is not one of [{string.Join(", ", options.Select(o => o?.ToJsonString() ?? "null"))}]"));
        }

        if (s.TryGetPropertyValue("const", out var constant) && !JsonNode.DeepEquals(constant, instance))
        {
            errors.Add(new(at, schemaPath + "/const", "const", $"{Describe(instance)} is not {constant?.ToJsonString() ?? "null"}"));
        }
    }

    private void CheckObject(JsonObject obj, JsonObject s, string at, string schemaPath, List<SchemaViolation> errors, int depth)
    {
        var properties = s["properties"] as JsonObject;
        if (s["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r!.GetValue<string>()).Where(name => !obj.ContainsKey(name)))
            {
                errors.Add(new(Child(at, name), schemaPath + "/required", "required", $"the required property '{name}' is missing"));
            }
        }

        foreach (var (name, value) in obj)
        {
            if (properties is not null && properties.TryGetPropertyValue(name, out var propertySchema))
            {
                Check(value, propertySchema!, Child(at, name), $"{schemaPath}/properties/{Escape(name)}", errors, depth + 1);
            }
            else if (s["additionalProperties"] is { } additional)
            {
                if (additional is JsonValue flag && flag.GetValueKind() == JsonValueKind.False)
                {
                    errors.Add(new(Child(at, name), schemaPath + "/additionalProperties", "additionalProperties",
                        $"the property '{name}' is not allowed (additionalProperties: false; allowed: {string.Join(", ", properties?.Select(p => p.Key) ?? [])})"));
                }
                else
                {
                    Check(value, additional, Child(at, name), schemaPath + "/additionalProperties", errors, depth + 1);
                }
            }

            if (s["propertyNames"] is { } names)
            {
                var nameErrors = new List<SchemaViolation>();
                Check(JsonValue.Create(name), names, Child(at, name), schemaPath + "/propertyNames", nameErrors, depth + 1);
                errors.AddRange(nameErrors.Select(e => e with { Keyword = "propertyNames", Message = $"the property name '{name}': {e.Message}" }));
            }
        }

        if (Integer(s, "maxProperties") is { } maxProperties && obj.Count > maxProperties)
        {
            errors.Add(new(at, schemaPath + "/maxProperties", "maxProperties", $"{obj.Count} properties, at most {maxProperties} allowed"));
        }

        if (Integer(s, "minProperties") is { } minProperties && obj.Count < minProperties)
        {
            errors.Add(new(at, schemaPath + "/minProperties", "minProperties", $"{obj.Count} properties, at least {minProperties} required"));
        }
    }

    private void CheckArray(JsonArray array, JsonObject s, string at, string schemaPath, List<SchemaViolation> errors, int depth)
    {
        if (s["items"] is { } items and not JsonArray)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], items, $"{at}[{i}]", schemaPath + "/items", errors, depth + 1);
            }
        }

        if (Integer(s, "maxItems") is { } maxItems && array.Count > maxItems)
        {
            errors.Add(new(at, schemaPath + "/maxItems", "maxItems", $"{array.Count} items, at most {maxItems} allowed"));
        }

        if (Integer(s, "minItems") is { } minItems && array.Count < minItems)
        {
            errors.Add(new(at, schemaPath + "/minItems", "minItems", $"{array.Count} items, at least {minItems} required"));
        }

        if (IsTrue(s["uniqueItems"]))
        {
            for (var i = 0; i < array.Count; i++)
            {
                for (var j = i + 1; j < array.Count; j++)
                {
                    if (JsonNode.DeepEquals(array[i], array[j]))
                    {
                        errors.Add(new($"{at}[{j}]", schemaPath + "/uniqueItems", "uniqueItems", $"repeats item {i}"));
                    }
                }
            }
        }
    }

    private static void CheckString(string value, JsonObject s, string at, string schemaPath, List<SchemaViolation> errors)
    {
        var length = value.EnumerateRunes().Count();
        if (Integer(s, "maxLength") is { } maxLength && length > maxLength)
        {
            errors.Add(new(at, schemaPath + "/maxLength", "maxLength", $"{length} characters, at most {maxLength} allowed"));
        }

        if (Integer(s, "minLength") is { } minLength && length < minLength)
        {
            errors.Add(new(at, schemaPath + "/minLength", "minLength", $"{length} characters, at least {minLength} required"));
        }

        if (s["pattern"] is JsonValue pattern)
        {
            var regex = Patterns.GetOrAdd(pattern.GetValue<string>(),
                p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
            if (!regex.IsMatch(value))
            {
                errors.Add(new(at, schemaPath + "/pattern", "pattern", $"\"{Shorten(value)}\" does not match /{regex}/"));
            }
        }

        if (s["format"] is JsonValue format && !IsValidFormat(value, format.GetValue<string>()))
        {
            errors.Add(new(at, schemaPath + "/format", "format", $"\"{Shorten(value)}\" is not a valid {format.GetValue<string>()}"));
        }
    }

    private static void CheckNumber(JsonValue value, JsonObject s, string at, string schemaPath, List<SchemaViolation> errors)
    {
        var number = NumberOf(value);
        void Bound(string keyword, Func<double, bool> ok, string relation)
        {
            if (s[keyword] is JsonValue limit && NumberOf(limit) is var bound && !ok(bound))
            {
                errors.Add(new(at, $"{schemaPath}/{keyword}", keyword,
                    $"{value.ToJsonString()} is not {relation} {bound.ToString(CultureInfo.InvariantCulture)}"));
            }
        }

        Bound("maximum", b => number <= b, "at most");
        Bound("minimum", b => number >= b, "at least");
        Bound("exclusiveMaximum", b => number < b, "less than");
        Bound("exclusiveMinimum", b => number > b, "greater than");

        var (min, max) = (s["format"] as JsonValue)?.GetValue<string>() switch
        {
            "int32" => ((double)int.MinValue, (double)int.MaxValue),
            "int64" => (long.MinValue, long.MaxValue),
            _ => (double.NegativeInfinity, double.PositiveInfinity),
        };
        if (number < min || number > max || (!double.IsInfinity(max) && !IsInteger(value)))
        {
            errors.Add(new(at, schemaPath + "/format", "format", $"{value.ToJsonString()} is not a valid {s["format"]!.GetValue<string>()}"));
        }
    }

    private void CheckCombinators(JsonNode? instance, JsonObject s, string at, string schemaPath, List<SchemaViolation> errors, int depth)
    {
        if (s["allOf"] is JsonArray allOf)
        {
            for (var i = 0; i < allOf.Count; i++)
            {
                Check(instance, allOf[i]!, at, $"{schemaPath}/allOf/{i}", errors, depth + 1);
            }
        }

        if (s["anyOf"] is JsonArray anyOf)
        {
            var branches = Branches(instance, anyOf, at, $"{schemaPath}/anyOf", depth);
            if (!branches.Any(b => b.Count == 0))
            {
                errors.Add(new(at, schemaPath + "/anyOf", "anyOf", "matches none of the schemas: " + Summarize(branches)));
            }
        }

        if (s["oneOf"] is JsonArray oneOf)
        {
            var branches = Branches(instance, oneOf, at, $"{schemaPath}/oneOf", depth);
            var matching = branches.Count(b => b.Count == 0);
            if (matching != 1)
            {
                errors.Add(new(at, schemaPath + "/oneOf", "oneOf", matching == 0
                    ? "matches none of the schemas: " + Summarize(branches)
                    : $"matches {matching} of the schemas, exactly one is required"));
            }
        }

        if (s["not"] is { } not)
        {
            var inner = new List<SchemaViolation>();
            Check(instance, not, at, schemaPath + "/not", inner, depth + 1);
            if (inner.Count == 0)
            {
                errors.Add(new(at, schemaPath + "/not", "not", "matches a schema it must not match"));
            }
        }
    }

    private List<List<SchemaViolation>> Branches(JsonNode? instance, JsonArray schemas, string at, string schemaPath, int depth) =>
        [.. schemas.Select((branch, i) =>
        {
            var branchErrors = new List<SchemaViolation>();
            Check(instance, branch!, at, $"{schemaPath}/{i}", branchErrors, depth + 1);
            return branchErrors;
        })];

    private static string Summarize(List<List<SchemaViolation>> branches) =>
        string.Join("; ", branches.Select((b, i) => $"#{i}: {string.Join(", ", b.Take(3).Select(e => $"{e.InstancePath} {e.Message}"))}"));

    private static bool IsValidFormat(string value, string format) => format switch
    {
        "uuid" => UuidPattern().IsMatch(value),
        "date-time" => DateTimePattern().IsMatch(value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "date" => DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        // On Unix, Uri treats "/path" as an absolute file URI: an absolute URI must start with a scheme.
        "uri" => SchemePattern().IsMatch(value) && !value.Any(char.IsWhiteSpace) && Uri.TryCreate(value, UriKind.Absolute, out _),
        "uri-reference" => !value.Any(char.IsWhiteSpace) && Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _),
        _ => true, // formats are annotations unless we check them
    };

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static long? Integer(JsonObject s, string keyword) => s[keyword] is JsonValue v ? (long)NumberOf(v) : null;

    private static double NumberOf(JsonValue value) =>
        double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool IsInteger(JsonValue value) =>
        decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? decimal.Truncate(d) == d
            : Math.Floor(NumberOf(value)) == NumberOf(value);

    private static string Describe(JsonNode? instance) => instance?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => $"{instance.GetValueKind().ToString().ToLowerInvariant()} {Shorten(instance.ToJsonString())}",
    };

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";

    private static string Child(string at, string name) =>
        IdentifierPattern().IsMatch(name) ? $"{at}.{name}" : $"{at}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    /// <summary>Escapes a property name as a JSON pointer token.</summary>
    private static string Escape(string name) =>
        new StringBuilder(name).Replace("~", "~0").Replace("/", "~1").ToString();

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UuidPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex SchemePattern();

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]*$")]
    private static partial Regex IdentifierPattern();
}
