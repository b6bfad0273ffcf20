using System.Text.Json.Nodes;

namespace Consentry.Api.Tests.Contract;

/// <summary>One operation of Codat's document: its method, path template and definition.</summary>
public sealed record CodatOperation(string Method, string Path, string OperationId, JsonObject Definition)
{
    public override string ToString() => $"{Method} {Path} ({OperationId})";
}

/// <summary>
/// Codat's Platform OpenAPI document (<c>shared/reference/codat-oas/Codat-Platform.json</c>, copied next to the tests
/// by the test project), loaded once, with its known bugs corrected openly here, each with the reason.
/// </summary>
public static class CodatSpec
{
    public const string FileName = "Codat-Platform.json";

    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private static readonly Lazy<JsonObject> Loaded = new(Load);

    private static readonly Lazy<IReadOnlyList<CodatOperation>> AllOperations = new(() =>
    [
        .. Loaded.Value["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => Methods.Contains(op.Key, StringComparer.Ordinal))
            .Select(op => new CodatOperation(
                op.Key.ToUpperInvariant(), path.Key, op.Value!["operationId"]!.GetValue<string>(), op.Value!.AsObject()))),
    ]);

    private static readonly Lazy<OpenApiSchemaValidator> SharedValidator = new(() => new OpenApiSchemaValidator(Loaded.Value));

    public static JsonObject Document => Loaded.Value;

    public static OpenApiSchemaValidator Validator => SharedValidator.Value;

    public static IReadOnlyList<CodatOperation> Operations => AllOperations.Value;

    public static CodatOperation Operation(string method, string path) =>
        Operations.SingleOrDefault(o => o.Method == method && o.Path == path)
        ?? throw new InvalidOperationException($"Codat's document has no operation {method} {path}.");

    /// <summary>The response object for a status (following a <c>$ref</c>), or null when the operation does not list it.</summary>
    public static JsonObject? Response(CodatOperation operation, int status)
    {
        var responses = operation.Definition["responses"]!.AsObject();
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = responses[code] ?? responses[$"{code[0]}XX"] ?? responses["default"];
        return response is null ? null : Deref(response).AsObject();
    }

    /// <summary>A node, or the node its <c>$ref</c> points to (response objects may be references).</summary>
    public static JsonNode Deref(JsonNode node) =>
        node is JsonObject o && o["$ref"] is JsonValue reference ? Deref(Validator.Resolve(reference.GetValue<string>())) : node;

    /// <summary>
    /// The corrections, each applied only while the bug is still there: if Codat fixes its document, loading fails and
    /// says which correction to delete, so none outlives its reason.
    /// </summary>
    private static JsonObject Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Contract", FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Codat's OpenAPI document was not copied to {path}: the test project copies it from shared/reference/codat-oas/.", path);
        }

        var document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();

        // Spec bug 1: Integration.datatypeFeatures[] is {dataType, supportedFeatures}, but its `required` lists
        // "datatype" (lower-case t). JSON names are case-sensitive, so read literally the schema requires a property
        // no integration has (Codat's own examples send `dataType`). We require the declared property instead.
        var dataTypeFeature = document["components"]!["schemas"]!["Integration"]!["definitions"]!["dataTypeFeature"]!;
        Correct(dataTypeFeature["required"]!.AsArray(), "Integration dataTypeFeature.required lists 'datatype'",
            required => required.Any(r => r!.GetValue<string>() == "datatype"),
            required => required[required.Select(r => r!.GetValue<string>()).ToList().IndexOf("datatype")] = "dataType");

        // Spec bug 2: PagingInfo.pageSize says maximum 2000, but the pageSize parameter of every list allows 5000 and a
        // paged response echoes the requested size. We use the parameter's maximum, the one clients are promised.
        var parameterMaximum = document["components"]!["parameters"]!["pageSize"]!["schema"]!["maximum"]!.GetValue<int>();
        var pageSize = document["components"]!["schemas"]!["PagingInfo"]!["properties"]!["pageSize"]!.AsObject();
        Correct(pageSize, "PagingInfo.pageSize has maximum 2000 while the pageSize parameter allows 5000",
            schema => schema["maximum"]!.GetValue<int>() == 2000 && parameterMaximum == 5000,
            schema => schema["maximum"] = parameterMaximum);

        // Spec bug 3: a custom data type record's `content` declares every value an object, yet the values are the
        // platform's fields (Codat's own configuration examples map "$.Code", a string); and `modifiedDate` is declared
        // an object with a `modifiedDate` property, an artefact of the generator, where every other record has the
        // DateTime string. We accept any JSON value in `content` and require `modifiedDate` to be a DateTime.
        var customRecord = document["components"]!["schemas"]!["CustomDataTypeRecords"]!["definitions"]!["customDataTypeRecord"]!["properties"]!.AsObject();
        Correct(customRecord, "customDataTypeRecord.content values are objects and modifiedDate is an object",
            record => record["content"]!["additionalProperties"]?["type"]?.GetValue<string>() == "object"
                && record["modifiedDate"]!["type"]?.GetValue<string>() == "object",
            record =>
            {
                record["content"]!["additionalProperties"] = new JsonObject();
                record["modifiedDate"] = new JsonObject { ["$ref"] = "#/components/schemas/DateTime" };
            });

        return document;
    }

    private static void Correct<T>(T node, string bug, Func<T, bool> stillThere, Action<T> fix)
    {
        if (!stillThere(node))
        {
            throw new InvalidOperationException($"Codat's document no longer has the bug '{bug}': delete its correction in {nameof(CodatSpec)}.");
        }

        fix(node);
    }
}
