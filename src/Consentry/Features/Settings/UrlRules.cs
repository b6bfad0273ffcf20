using System.Text.RegularExpressions;
using Consentry.Core.Link;

namespace Consentry.Features.Settings;

/// <summary>Checks for the URLs a client configures (redirect template, allowed redirect URLs, CORS origins).</summary>
internal static partial class UrlRules
{
    public const int MaxEntries = 50;

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0;

    /// <summary>A redirect template is valid when it is an absolute http(s) URL once each {placeholder} is filled in.</summary>
    public static bool IsRedirectTemplate(string value) => IsHttpUrl(Placeholder().Replace(value, "x"));

    /// <summary>
    /// Why a redirect template can never be followed with this allow-list (null: it can). The journey fills the
    /// template and follows it only when the filled URL passes <see cref="RedirectTemplate.Allowed"/>, so the same
    /// check runs here with sample values: a placeholder in the host, a user name, a trailing dot, or an origin (scheme,
    /// host and port) that no allowed URL has would only show up as a refused redirect after the customer linked.
    /// </summary>
    public static string? RedirectProblem(string template, IReadOnlyList<string> allowList)
    {
        var authority = Authority(template);
        if (authority.Contains('{', StringComparison.Ordinal))
        {
            return "redirectUrl cannot have a {placeholder} in its host: the journey checks the filled URL's origin against whiteListUrls, so put placeholders in the path or query.";
        }

        if (authority.Contains('@', StringComparison.Ordinal) || Uri.TryCreate(Placeholder().Replace(template, "x"), UriKind.Absolute, out var uri) && uri.Host.EndsWith('.'))
        {
            return "redirectUrl must not carry a user name or a host ending in a dot: such a URL is never redirected to.";
        }

        var sample = Placeholder().Replace(template, "x");
        if (RedirectTemplate.Allowed(sample, allowList) is null)
        {
            var origin = Uri.TryCreate(sample, UriKind.Absolute, out var parsed) ? parsed.GetLeftPart(UriPartial.Authority) : template;
            return $"redirectUrl's origin {origin} is not in whiteListUrls: add it there (scheme, host and port must match exactly), or the customer is never sent back.";
        }

        return null;
    }

    /// <summary>An allowed redirect URL is an absolute http(s) URL with no user name and no trailing dot in its host.</summary>
    public static bool IsAllowListEntry(string value) =>
        IsHttpUrl(value) && !Authority(value).Contains('@', StringComparison.Ordinal) && !value.Contains('\\', StringComparison.Ordinal)
        && Uri.TryCreate(value, UriKind.Absolute, out var uri) && !uri.Host.EndsWith('.');

    /// <summary>The raw text between "//" and the first "/", "?" or "#".</summary>
    private static string Authority(string url)
    {
        var start = url.IndexOf("//", StringComparison.Ordinal);
        var rest = start < 0 ? "" : url[(start + 2)..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        return end < 0 ? rest : rest[..end];
    }

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
