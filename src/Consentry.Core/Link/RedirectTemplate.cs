using System.Text.RegularExpressions;

namespace Consentry.Core.Link;

/// <summary>
/// Codat's redirect URL template: <c>{placeholders}</c> filled from the journey (reserved names) or from the Link URL's
/// query (custom names; missing ones become empty), then checked against the allowed redirect URLs by exact origin
/// (scheme, host and port). A URL outside the allow-list is never redirected to.
/// </summary>
public static partial class RedirectTemplate
{
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "clientId", "companyId", "connectionId", "integrationId", "sourceId", "platform", "platformName", "sourceType",
        "statusCode", "errorMessage", "statusText",
    };

    /// <summary>Codat's standard texts for each status code.</summary>
    public static string ErrorMessage(int statusCode) => statusCode switch
    {
        403 => "User cancelled.",
        500 => "Unknown error occurred.",
        501 => "Not supported.",
        _ => "",
    };

    /// <summary>Fills the template. Values are URL-encoded; reserved values win over same-named query parameters.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> reserved, IReadOnlyDictionary<string, string> custom) =>
        Placeholder().Replace(template, m =>
        {
            var name = m.Groups[1].Value;
            var value = reserved.TryGetValue(name, out var r) ? r : custom.GetValueOrDefault(name, "");
            return Uri.EscapeDataString(value);
        });

    /// <summary>The URL when it is absolute http(s) and its exact origin is one of the allowed URLs' origins; otherwise null.</summary>
    public static Uri? Allowed(string url, IEnumerable<string> allowList)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0 || uri.Host.Length == 0 || url.Contains('\\', StringComparison.Ordinal)
            || Authority(url).IndexOfAny(['%', '@']) >= 0 || url.Any(char.IsControl))
        {
            // Percent-encoding, '@' (even with an empty user name) or control characters in the host part are how
            // allow-lists get fooled; a real app needs none of them.
            return null;
        }

        var origin = Origin(uri);
        if (origin is null || !allowList.Any(a => Uri.TryCreate(a, UriKind.Absolute, out var allowed) && Origin(allowed) == origin))
        {
            return null;
        }

        // Send the host in the form that was checked (ASCII, as IdnHost), not as typed: "app．example．com" (full-width
        // dots) matches "app.example.com" here and must leave as that, not rely on the browser mapping it the same way.
        return uri.Host == uri.IdnHost ? uri : new UriBuilder(uri) { Host = uri.IdnHost }.Uri;
    }

    /// <summary>The raw text between "//" and the first "/", "?" or "#" (before any parsing normalizes it).</summary>
    private static string Authority(string url)
    {
        var start = url.IndexOf("//", StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }

        var rest = url[(start + 2)..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>scheme://host:port with the host in ASCII; null when the host has no IDNA form (Uri then throws).</summary>
    private static string? Origin(Uri uri)
    {
        try
        {
            return $"{uri.Scheme}://{uri.IdnHost.ToLowerInvariant()}:{uri.Port}";
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_.\-]+)\}")]
    private static partial Regex Placeholder();
}
