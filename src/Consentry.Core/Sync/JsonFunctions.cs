namespace Consentry.Core.Sync;

/// <summary>
/// Values inside a cached record's JSON, for filtering and ordering in the database (the query language's properties
/// of a data type point at them). <paramref name="path"/> is <c>$.a.b</c>. SQLite runs its built-in <c>json_extract</c>
/// (and <c>consentry_json_time</c>, registered on each connection, to compare dates as EF stores them); PostgreSQL runs
/// the <c>consentry_json_*</c> SQL functions the Sync migration creates. Calling these outside a query throws.
/// </summary>
public static class JsonFunctions
{
    public static string? Text(string json, string path) => throw new InvalidOperationException("Only inside a database query.");

    public static double? Number(string json, string path) => throw new InvalidOperationException("Only inside a database query.");

    public static DateTime? Time(string json, string path) => throw new InvalidOperationException("Only inside a database query.");

    /// <summary>The string at <paramref name="path"/> (<c>$.a.b</c>) of a JSON document, or null.</summary>
    public static string? Extract(string? json, string? path)
    {
        if (json is null || path is null || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var element = document.RootElement;
            foreach (var name in path[2..].Split('.'))
            {
                if (element.ValueKind != System.Text.Json.JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return null;
                }
            }

            return element.ValueKind == System.Text.Json.JsonValueKind.String ? element.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>SQLite's <c>consentry_json_time</c>: an ISO 8601 date as the text EF writes for a UTC DateTime, else null.</summary>
    public static string? SqliteTime(string? isoDate) =>
        isoDate is not null && DateTime.TryParse(isoDate, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var value)
            ? value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture)
            : null;
}
