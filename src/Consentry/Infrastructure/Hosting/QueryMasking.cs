using System.Text;
using System.Text.RegularExpressions;

namespace Consentry.Infrastructure.Hosting;

/// <summary>
/// A query string as it may be logged: the values of OAuth's <c>code</c> and <c>state</c>, of tickets, tokens, secrets,
/// the Done page's reference (<c>r</c>) and of anything that looks like a random token are replaced by <see cref="Masked"/>.
/// Names and the other values stay, so a log still tells which page was asked for what.
/// </summary>
public static partial class QueryMasking
{
    public const string Masked = "***";

    private static readonly HashSet<string> SecretNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "code", "state", "r", "ticket", "key", "apiKey", "sig", "signature", "hmac", "nonce", "session_state",
        "code_verifier", "code_challenge", "assertion", "oauth_verifier", "public_token", "link_token",
    };

    private static readonly string[] SecretParts = ["token", "secret", "password", "ticket", "verifier"];

    public static string Mask(IQueryCollection query)
    {
        var text = new StringBuilder();
        foreach (var (name, values) in query)
        {
            foreach (var value in values.Count == 0 ? [""] : values.ToArray())
            {
                text.Append(text.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=')
                    .Append(IsSecret(name, value) ? Masked : Uri.EscapeDataString(value ?? ""));
            }
        }

        return text.ToString();
    }

    /// <summary>A URL (absolute or not) with its query masked; its fragment is dropped (tokens travel there too).</summary>
    public static string MaskUrl(string url)
    {
        var end = url.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? hash : url.Length;
        var start = url.IndexOf('?', StringComparison.Ordinal);
        return start < 0 || start > end
            ? url[..end]
            : url[..start] + Mask(new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url[start..end])));
    }

    public static bool IsSecret(string name, string? value) =>
        SecretNames.Contains(name)
        || SecretParts.Any(p => name.Contains(p, StringComparison.OrdinalIgnoreCase))
        || (value is not null && TokenLike().IsMatch(value) && !Guid.TryParse(value, out _));

    /// <summary>24 or more URL-safe characters with letters and digits, as random tokens and Data Protection payloads are.</summary>
    [GeneratedRegex("^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9_~+/-]{24,}={0,2}$")]
    private static partial Regex TokenLike();
}
