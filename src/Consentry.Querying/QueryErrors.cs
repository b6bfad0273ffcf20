using System.Globalization;

namespace Consentry.Querying;

/// <summary>
/// Every message the library produces. The leading phrases match Codat's own wording so that clients that
/// look for them keep working; anything more precise follows in a separate sentence or in parentheses.
/// </summary>
internal static class QueryErrors
{
    public const string QueryPrefix = "Error parsing query - ";
    public const string OrderByPrefix = "Error parsing orderBy - ";

    // Echoed user text is clipped so that a 2 KB value cannot produce a 2 KB error message.
    private const int MaxEchoLength = 64;

    public static string Malformed(string detail) => $"{QueryPrefix}Malformed query. {detail}";

    public static string InvalidCharacter(char c, int index) =>
        Malformed(Invariant($"The query contains the invalid character U+{(int)c:X4} at {Position(index)}."));

    public static string TooLong(int maxLength) =>
        Invariant($"{QueryPrefix}Query exceeds the maximum length of {maxLength} characters");

    public static string TooDeep(int maxDepth) =>
        Invariant($"{QueryPrefix}Query exceeds the maximum nesting depth of {maxDepth} groups");

    public static string TooManyConditions(int maxConditions) =>
        Invariant($"{QueryPrefix}Query exceeds the maximum of {maxConditions} conditions");

    public static string OrderByTooManyKeys(int maxKeys) =>
        Invariant($"{OrderByPrefix}orderBy exceeds the maximum of {maxKeys} properties");

    public static string UnknownProperty(string path, string entityName) =>
        $"{QueryPrefix}Could not resolve property {Echo(path)} on {entityName}";

    public static string NotAValue(string path, string entityName) =>
        $"{QueryPrefix}Could not resolve property {Echo(path)} on {entityName} (it is an object; query one of its properties, e.g. {Echo(path)}.id)";

    public static string UnsupportedOperator(QueryOperator op, string path, QueryValueType type) =>
        $"{QueryPrefix}Operator '{op.ToSymbol()}' is not supported for property '{Echo(path)}' of type {type} " +
        $"(supported: {string.Join(", ", type.SupportedOperators().Select(o => o.ToSymbol()))})";

    public static string InvalidValue(string rawValue, QueryValueType type, string path, string? hint) =>
        $"{QueryPrefix}Value '{Echo(rawValue)}' is not a valid {type} for property '{Echo(path)}'" +
        (hint is null ? string.Empty : $" ({hint})");

    public static string OrderByMalformed(string detail) => $"{OrderByPrefix}Malformed orderBy. {detail}";

    public static string OrderByTooLong(int maxLength) =>
        Invariant($"{OrderByPrefix}orderBy exceeds the maximum length of {maxLength} characters");

    public static string OrderByUnknownProperty(string path, string entityName) =>
        $"{OrderByPrefix}Could not resolve property {Echo(path)} on {entityName}";

    public static string OrderByNotSortable(string path, string entityName) =>
        $"{OrderByPrefix}Property {Echo(path)} on {entityName} is not a single value and cannot be used to order results";

    /// <summary>Describes the character at <paramref name="index"/> for a syntax error (1-based, as people count).</summary>
    public static string Found(string text, int index) =>
        index >= text.Length
            ? "reached the end of the query"
            : Invariant($"found '{text[index]}' at position {index + 1}");

    public static string Position(int index) => Invariant($"position {index + 1}");

    public static string Echo(string text) =>
        text.Length <= MaxEchoLength ? text : string.Concat(text.AsSpan(0, MaxEchoLength), "...");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
