using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Consentry.Connectors.Platforms.Shopify;

/// <summary>
/// The shop a Shopify connection is for, and the checks on what Shopify (or someone pretending to be it) sends back.
/// A shop is the store's myshopify subdomain (<c>acme</c> for <c>acme.myshopify.com</c>): it is put into the catalogue's
/// <c>https://{shop}.myshopify.com/…</c> templates, so only a plain label may ever get there.
/// </summary>
public static partial class ShopifyShop
{
    public const string Domain = ".myshopify.com";

    /// <summary>Longer input is refused outright (a URL to a shop's admin is far shorter).</summary>
    public const int MaxInputLength = 255;

    /// <summary>Shopify's callback timestamps older (or further ahead) than this are refused as replays.</summary>
    public static readonly TimeSpan CallbackLifetime = TimeSpan.FromMinutes(5);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex ShopName();

    /// <summary>
    /// What the customer typed (<c>acme</c>, <c>acme.myshopify.com</c>, <c>https://acme.myshopify.com/admin</c>) as the shop
    /// name (<c>acme</c>); null for anything else: other hosts, IPs, ports, user info, other schemes, overlong input.
    /// </summary>
    public static string? Normalize(string? input)
    {
        var value = (input ?? "").Trim().ToLowerInvariant();
        if (value.Length is 0 or > MaxInputLength)
        {
            return null;
        }

        if (ShopName().IsMatch(value))
        {
            return value;
        }

        var url = value.Contains("://", StringComparison.Ordinal) ? value : "https://" + value;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp
            || uri.UserInfo.Length > 0 || !uri.IsDefaultPort || url.Contains('@', StringComparison.Ordinal) || url.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        return FromHost(uri.IdnHost);
    }

    /// <summary>The shop of a <c>{name}.myshopify.com</c> host (as Shopify's callback names it); null for any other host.</summary>
    public static string? FromHost(string? host)
    {
        if (host is null || !host.EndsWith(Domain, StringComparison.Ordinal))
        {
            return null;
        }

        var name = host[..^Domain.Length];
        return ShopName().IsMatch(name) ? name : null;
    }

    /// <summary>
    /// Shopify's signature on a redirect: HMAC-SHA256, keyed with the app's client secret, over every query parameter
    /// but <c>hmac</c> (and the legacy <c>signature</c>), sorted by name, as <c>name=value</c> joined with <c>&amp;</c>
    /// (<c>%</c> and <c>&amp;</c> escaped in names and values, <c>=</c> in names), lowercase hex.
    /// </summary>
    public static string Sign(IReadOnlyDictionary<string, string> query, string clientSecret)
    {
        var message = string.Join('&', query.Where(p => p.Key is not ("hmac" or "signature"))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{Escape(p.Key, name: true)}={Escape(p.Value, name: false)}"));
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(clientSecret));
        return Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes(message)));
    }

    /// <summary>
    /// Why a callback is not Shopify's answer to the flow that started for <paramref name="expectedShop"/>; null when it is:
    /// the hmac matches (compared in constant time), the shop is a myshopify host and the expected one, the timestamp is fresh.
    /// </summary>
    public static string? Reject(IReadOnlyDictionary<string, string> callback, string clientSecret, string? expectedShop, DateTimeOffset now)
    {
        if (!callback.TryGetValue("hmac", out var hmac) || hmac.Length != 64)
        {
            return "Shopify's response is not signed (no hmac). Start again from your app.";
        }

        var expected = Encoding.ASCII.GetBytes(Sign(callback, clientSecret));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(hmac.ToLowerInvariant())))
        {
            return "Shopify's response has a signature (hmac) that does not match: it was not sent by Shopify.";
        }

        var shop = FromHost(callback.GetValueOrDefault("shop"));
        if (shop is null)
        {
            return "Shopify's response names a shop that is not a myshopify.com store.";
        }

        if (expectedShop is null || shop != expectedShop)
        {
            return "Shopify's response is for another shop than the one you entered. Start again from your app.";
        }

        if (!long.TryParse(callback.GetValueOrDefault("timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > CallbackLifetime)
        {
            return "Shopify's response is too old (or its timestamp is not valid). Start again from your app.";
        }

        return null;
    }

    private static string Escape(string value, bool name)
    {
        var escaped = value.Replace("%", "%25", StringComparison.Ordinal).Replace("&", "%26", StringComparison.Ordinal);
        return name ? escaped.Replace("=", "%3D", StringComparison.Ordinal) : escaped;
    }
}
