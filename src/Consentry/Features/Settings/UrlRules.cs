using System.Text.RegularExpressions;

namespace Consentry.Features.Settings;

/// <summary>Checks for the URLs a client configures (redirect template, allowed redirect URLs, CORS origins).</summary>
internal static partial class UrlRules
{
    public const int MaxEntries = 50;

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0;

    /// <summary>A redirect template is valid when it is an absolute http(s) URL once each {placeholder} is filled in.</summary>
    public static bool IsRedirectTemplate(string value) => IsHttpUrl(Placeholder().Replace(value, "x"));

    /// <summary>An origin is scheme://host[:port] with nothing after it (a trailing slash is forgiven).</summary>
    public static string? NormalizeOrigin(string value)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0
            // An empty user name ("https://@host") leaves UserInfo empty but would keep the '@' in the origin.
            || value.Contains('@', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Placeholder();
}
