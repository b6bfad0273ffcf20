using System.Text.Json;
using System.Text.Json.Nodes;

namespace Consentry.Features.CustomData;

/// <summary>
/// The part of JSONPath that Codat's custom and supplemental data examples use, applied to one platform record:
/// <c>$.Code</c>, <c>$.SalesTermRef.value</c>, <c>$[*].number</c> (the record itself, when the endpoint answers an
/// array), <c>$.LineItems[*]</c> (a whole array) and <c>$.LineItems[*].Amount</c> (a field of every element). A path
/// without <c>$</c> (supplemental <c>pullData</c>: <c>SalesTermRef.value</c>) is read from the record's root. Written
/// here rather than taken from a library: this subset is all Codat documents, and a full JSONPath engine would accept
/// filters and scripts we would then have to support.
/// </summary>
public static class SourcePath
{
    /// <summary>The value at <paramref name="path"/>, or null when the record has none.</summary>
    public static JsonNode? Select(JsonElement record, string path)
    {
        var rest = path.Trim();
        if (rest.StartsWith('$'))
        {
            rest = rest[1..];
        }

        if (rest.StartsWith("[*]", StringComparison.Ordinal))
        {
            rest = rest[3..];
        }

        rest = rest.TrimStart('.');
        return Walk(record, rest.Length == 0 ? [] : rest.Split('.'), 0);
    }

    /// <summary>The value as text (strings as they are, anything else as JSON), for ids and dates.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    private static JsonNode? Walk(JsonElement element, string[] segments, int index)
    {
        if (index == segments.Length)
        {
            return element.ValueKind == JsonValueKind.Null ? null : JsonNode.Parse(element.GetRawText());
        }

        var segment = segments[index];
        var each = segment.EndsWith("[*]", StringComparison.Ordinal);
        var name = each ? segment[..^3] : segment;
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (!each)
        {
            return Walk(value, segments, index + 1);
        }

        return value.ValueKind == JsonValueKind.Array
            ? new JsonArray([.. value.EnumerateArray().Select(item => Walk(item, segments, index + 1))])
            : null;
    }
}
