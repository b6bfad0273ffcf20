using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Consentry.Querying;

/// <summary>Turns the text of a query value into a value of the property's CLR type, invariantly.</summary>
internal static class QueryValueParser
{
    private const NumberStyles IntegerStyle = NumberStyles.AllowLeadingSign;
    private const NumberStyles RealStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    // ISO 8601 only: the culture-aware parsers would also take "1/2/2024", whose meaning depends on who reads it.
    // "FFFFFFF" makes fractional seconds (and their '.') optional; "K" takes 'Z', an offset or nothing.
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>
    /// Parses <paramref name="raw"/> as <paramref name="type"/> (nullable types as their underlying type).
    /// On failure returns false and, where it helps, a hint about what was expected.
    /// </summary>
    public static bool TryParse(string raw, Type type, [NotNullWhen(true)] out object? value, out string? hint)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        hint = null;
        value = QueryValueTypes.Classify(underlying) switch
        {
            QueryValueType.String => raw,
            QueryValueType.Boolean => ParseBoolean(raw, ref hint),
            QueryValueType.Enum => ParseEnum(raw, underlying, ref hint),
            QueryValueType.Guid => Guid.TryParse(raw, out var guid) ? guid : null,
            QueryValueType.Date => ParseDate(raw, underlying, ref hint),
            QueryValueType.Number => ParseNumber(raw, underlying, ref hint),
            _ => null,
        };
        return value is not null;
    }

    private static bool? ParseBoolean(string raw, ref string? hint)
    {
        if (string.Equals(raw, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(raw, "false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        hint = "expected true or false";
        return null;
    }

    // Names only, case-insensitively: Enum.TryParse would also accept "3" or "A, B", which Codat clients never mean.
    private static object? ParseEnum(string raw, Type enumType, ref string? hint)
    {
        var names = Enum.GetNames(enumType);
        var index = Array.FindIndex(names, name => string.Equals(name, raw, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            return Enum.GetValues(enumType).GetValue(index);
        }

        hint = $"expected one of: {string.Join(", ", names)}";
        return null;
    }

    /// <summary>Dates are read as UTC unless they carry an offset, and are always compared in UTC.</summary>
    private static object? ParseDate(string raw, Type dateType, ref string? hint)
    {
        if (!DateTimeOffset.TryParseExact(
                raw,
                DateFormats,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var parsed))
        {
            hint = "expected an ISO 8601 date such as 2024-01-31 or 2024-01-31T10:00:00Z";
            return null;
        }

        if (dateType == typeof(DateTimeOffset))
        {
            return parsed;
        }

        // Kind Utc matters: Npgsql only writes UTC DateTimes to timestamp with time zone columns.
        return dateType == typeof(DateOnly) ? DateOnly.FromDateTime(parsed.UtcDateTime) : parsed.UtcDateTime;
    }

    private static object? ParseNumber(string raw, Type numberType, ref string? hint)
    {
        var culture = CultureInfo.InvariantCulture;
        object? number = Type.GetTypeCode(numberType) switch
        {
            TypeCode.Byte => byte.TryParse(raw, IntegerStyle, culture, out var v) ? v : null,
            TypeCode.SByte => sbyte.TryParse(raw, IntegerStyle, culture, out var v) ? v : null,
            TypeCode.Int16 => short.TryParse(raw, IntegerStyle, culture, out var v) ? v : null,
            TypeCode.UInt16 => ushort.TryParse(raw, IntegerStyle, culture, out var v) ? v : null,
            TypeCode.Int32 => int.TryParse(raw, IntegerStyle, culture, out var v) ? v : null,
            TypeCode.UInt32 => uint.TryParse(raw, IntegerStyle, culture, out var v) ? v : null,
            TypeCode.Int64 => long.TryParse(raw, IntegerStyle, culture, out var v) ? v : null,
            TypeCode.UInt64 => ulong.TryParse(raw, IntegerStyle, culture, out var v) ? v : null,
            TypeCode.Decimal => decimal.TryParse(raw, RealStyle, culture, out var v) ? v : null,
            TypeCode.Single => float.TryParse(raw, RealStyle, culture, out var v) && float.IsFinite(v) ? v : null,
            TypeCode.Double => double.TryParse(raw, RealStyle, culture, out var v) && double.IsFinite(v) ? v : null,
            _ => null,
        };

        if (number is null)
        {
            hint = Type.GetTypeCode(numberType) is TypeCode.Decimal or TypeCode.Single or TypeCode.Double
                ? "expected a number such as -12.5 or 1e3"
                : $"expected a whole number between {MinMax(numberType)}";
        }

        return number;
    }

    private static string MinMax(Type integerType) =>
        string.Format(
            CultureInfo.InvariantCulture,
            "{0} and {1}",
            integerType.GetField("MinValue")!.GetValue(null),
            integerType.GetField("MaxValue")!.GetValue(null));
}
