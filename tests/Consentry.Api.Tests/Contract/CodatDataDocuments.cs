using System.Text.Json.Nodes;
using Consentry.Api.Tests.Platforms;

namespace Consentry.Api.Tests.Contract;

/// <summary>
/// Codat's data documents, which the data endpoints are held to: Banking (<c>Codat-Banking.json</c>), Commerce
/// (<c>Codat-Commerce.json</c>) and Lending (<c>Codat-Lending.yaml</c>: the accounting shapes, and the banking paths the
/// lending SDK calls), each loaded once. Beside schema validity, <see cref="Undeclared"/> finds the properties a record
/// has that Codat's schema does not declare: an extra field is kept only where Codat's schema allows it.
/// </summary>
public static class CodatDataDocuments
{
    private static readonly Lazy<OpenApiSchemaValidator> BankingDocument = new(() => new(VendorDocuments.Load("codat-oas/Codat-Banking.json")));
    private static readonly Lazy<OpenApiSchemaValidator> CommerceDocument = new(() => new(VendorDocuments.Load("codat-oas/Codat-Commerce.json")));

    public static OpenApiSchemaValidator Banking => BankingDocument.Value;

    public static OpenApiSchemaValidator Commerce => CommerceDocument.Value;

    public static OpenApiSchemaValidator Lending => VendorDocuments.CodatLending;

    /// <summary>The GET paths of a document (e.g. every <c>…/data/commerce-…</c> path of Commerce).</summary>
    public static IReadOnlyList<string> GetPaths(OpenApiSchemaValidator document) =>
        [.. document.Document["paths"]!.AsObject().Where(p => p.Value!["get"] is not null).Select(p => p.Key)];

    /// <summary>The schema of a GET path's 200 answer.</summary>
    public static JsonNode ResponseSchema(OpenApiSchemaValidator document, string path)
    {
        var response = document.Document["paths"]![path]?["get"]?["responses"]?["200"]
            ?? throw new InvalidOperationException($"The document has no 200 answer for GET {path}.");
        if (response["$ref"] is JsonValue reference)
        {
            response = document.Resolve(reference.GetValue<string>());
        }

        return response["content"]!["application/json"]!["schema"]!;
    }

    /// <summary>Schema violations and undeclared properties of a GET path's 200 answer, one list.</summary>
    public static IReadOnlyList<SchemaViolation> Check(OpenApiSchemaValidator document, string path, JsonNode? answer)
    {
        var schema = ResponseSchema(document, path);
        return [.. document.Validate(answer, schema, $"#/paths/{path}/get/responses/200"), .. Undeclared(document, answer, schema)];
    }

    /// <summary>Schema violations and undeclared properties of a record against a named schema (<c>Account</c>, <c>Order</c>…).</summary>
    public static IReadOnlyList<SchemaViolation> CheckRecord(OpenApiSchemaValidator document, JsonNode? record, string schemaName)
    {
        var pointer = $"#/components/schemas/{schemaName}";
        return [.. document.Validate(record, pointer), .. Undeclared(document, record, document.Resolve(pointer))];
    }

    /// <summary>
    /// Every property of <paramref name="instance"/> (at any depth) that no applicable schema declares, where no applicable
    /// schema allows other properties (<c>additionalProperties</c> true or a schema). Applicable: the schema, what it refers
    /// to, and every branch of its <c>allOf</c>, <c>anyOf</c> and <c>oneOf</c> (leniently: a property one branch declares counts).
    /// </summary>
    public static IReadOnlyList<SchemaViolation> Undeclared(OpenApiSchemaValidator document, JsonNode? instance, JsonNode schema)
    {
        var found = new List<SchemaViolation>();
        Walk(document, instance, [schema], "$", found);
        return found;
    }

    private static void Walk(OpenApiSchemaValidator document, JsonNode? instance, IReadOnlyList<JsonNode> schemas, string at, List<SchemaViolation> found)
    {
        var applicable = new List<JsonObject>();
        foreach (var schema in schemas)
        {
            Collect(document, schema, applicable, 0);
        }

        switch (instance)
        {
            case JsonObject obj:
                var open = applicable.Any(s => s["additionalProperties"] is { } a && !(a is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.False));
                foreach (var (name, value) in obj)
                {
                    var declared = applicable.Select(s => s["properties"]?[name]).OfType<JsonNode>().ToList();
                    if (declared.Count == 0 && open)
                    {
                        declared = [.. applicable.Select(s => s["additionalProperties"]).OfType<JsonObject>()];
                    }
                    else if (declared.Count == 0)
                    {
                        found.Add(new($"{at}.{name}", "#", "undeclared", $"'{name}' is not a property of Codat's schema"));
                        continue;
                    }

                    Walk(document, value, declared, $"{at}.{name}", found);
                }

                break;
            case JsonArray array:
                var items = applicable.Select(s => s["items"]).OfType<JsonNode>().ToList();
                for (var i = 0; i < array.Count && items.Count > 0; i++)
                {
                    Walk(document, array[i], items, $"{at}[{i}]", found);
                }

                break;
        }
    }

    private static void Collect(OpenApiSchemaValidator document, JsonNode schema, List<JsonObject> into, int depth)
    {
        if (schema is not JsonObject s || depth > 50)
        {
            return;
        }

        into.Add(s);
        if (s["$ref"] is JsonValue reference)
        {
            Collect(document, document.Resolve(reference.GetValue<string>()), into, depth + 1);
        }

        foreach (var combinator in new[] { "allOf", "anyOf", "oneOf" })
        {
            foreach (var branch in (s[combinator] as JsonArray ?? []).OfType<JsonNode>())
            {
                Collect(document, branch, into, depth + 1);
            }
        }
    }
}
