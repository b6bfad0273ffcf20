using System.Globalization;

namespace Consentry.Sandbox.Simulators.Xero;

/// <summary>
/// Xero's JSON dates are Microsoft's old "/Date(milliseconds since 1970 UTC+offset)/" strings, e.g.
/// <c>/Date(1573755038314+0000)/</c> (UpdatedDateUTC, Date, DueDate); this is the one place the simulator writes them.
/// </summary>
internal static class XeroDates
{
    public static string Format(DateTime utc) =>
        $"/Date({new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}+0000)/";

    /// <summary>The If-Modified-Since header as Xero takes it: ISO 8601 (the vendor's example) or an HTTP date.</summary>
    public static DateTime? ParseHeader(string? value) =>
        !string.IsNullOrWhiteSpace(value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed.UtcDateTime
            : null;
}
