using System.Net;
using System.Text.RegularExpressions;

namespace Consentry.Api.Tests.Infrastructure;

/// <summary>
/// Plays a browser over HTTP for the Link journey: keeps cookies itself (including Secure ones on http://localhost,
/// as browsers do for localhost), follows redirects one by one, and submits the forms it is shown with their hidden
/// fields (antiforgery tokens included).
/// </summary>
public sealed partial class LinkBrowser(Uri origin) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = origin };

    /// <summary>The cookies of the app's own host (a real browser keeps a jar per host, as <see cref="JarFor"/> does).</summary>
    public Dictionary<string, string> Cookies => JarFor(_http.BaseAddress!);

    /// <summary>Other origins (<c>http://host:port</c>) whose redirects are followed, e.g. a platform on its own host.</summary>
    public HashSet<string> AlsoFollow { get; } = new(StringComparer.OrdinalIgnoreCase);

    private readonly Dictionary<string, Dictionary<string, string>> _jars = new(StringComparer.OrdinalIgnoreCase);

    private Dictionary<string, string> JarFor(Uri uri) =>
        _jars.TryGetValue(uri.Host, out var jar) ? jar : _jars[uri.Host] = new(StringComparer.Ordinal);

    /// <summary>Every URL the browser was sent to, in order.</summary>
    public List<Uri> Visited { get; } = [];

    public string Html { get; private set; } = "";

    public Uri Location { get; private set; } = origin;

    public HttpStatusCode Status { get; private set; }

    /// <summary>Opens a URL and follows same-origin and sandbox redirects until a page or a foreign redirect.</summary>
    public async Task<LinkBrowser> GoAsync(string url) => await SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

    /// <summary>Submits the form whose action contains <paramref name="actionContains"/>, with extra fields.</summary>
    public async Task<LinkBrowser> SubmitAsync(string actionContains, Dictionary<string, string>? fields = null, string? button = null)
    {
        var form = Forms().FirstOrDefault(f => f.Action.Contains(actionContains, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No form with action containing '{actionContains}' on {Location} ({(int)Status}):\n{Html}");
        var values = new Dictionary<string, string>(form.Hidden);
        foreach (var (key, value) in fields ?? [])
        {
            values[key] = value;
        }

        var action = WebUtility.HtmlDecode(button ?? form.Action);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Location, action)) { Content = new FormUrlEncodedContent(values) };
        return await SendAsync(request);
    }

    public IReadOnlyList<HtmlForm> Forms() =>
        [.. FormPattern().Matches(Html).Select(m => new HtmlForm(
            WebUtility.HtmlDecode(m.Groups["action"].Value),
            InputPattern().Matches(m.Groups["body"].Value)
                .Select(i => AttributePattern().Matches(i.Value).ToDictionary(a => a.Groups["key"].Value.ToLowerInvariant(), a => WebUtility.HtmlDecode(a.Groups["value"].Value)))
                .Where(a => a.GetValueOrDefault("type") == "hidden" && a.ContainsKey("name"))
                .ToDictionary(a => a["name"], a => a.GetValueOrDefault("value", ""))))];

    private async Task<LinkBrowser> SendAsync(HttpRequestMessage request)
    {
        for (var hop = 0; hop < 10; hop++)
        {
            var target = request.RequestUri!.IsAbsoluteUri ? request.RequestUri : new Uri(_http.BaseAddress!, request.RequestUri);
            request.RequestUri = target;
            var jar = JarFor(target);
            if (jar.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
            }

            using var response = await _http.SendAsync(request);
            Visited.Add(target);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var set) ? set : [])
            {
                var pair = header.Split(';')[0].Split('=', 2);
                if (header.Contains("max-age=0", StringComparison.OrdinalIgnoreCase) || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    jar.Remove(pair[0]);
                }
                else
                {
                    jar[pair[0]] = pair[1];
                }
            }

            Status = response.StatusCode;
            Location = target;
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } next)
            {
                var absolute = next.IsAbsoluteUri ? next : new Uri(target, next);
                if ((absolute.Host != _http.BaseAddress!.Host || absolute.Port != _http.BaseAddress.Port)
                    && !AlsoFollow.Contains(absolute.GetLeftPart(UriPartial.Authority)))
                {
                    // Left our host (the app's redirect URL): record it and stop, as the real app is not running.
                    Location = absolute;
                    Visited.Add(absolute);
                    Html = "";
                    return this;
                }

                request = new HttpRequestMessage(HttpMethod.Get, absolute);
                continue;
            }

            Html = await response.Content.ReadAsStringAsync();
            return this;
        }

        throw new InvalidOperationException("Too many redirects.");
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<form[^>]*action=\"(?<action>[^\"]*)\"[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputPattern();

    [GeneratedRegex("(?<key>[a-zA-Z_:-]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex AttributePattern();
}

public sealed record HtmlForm(string Action, IReadOnlyDictionary<string, string> Hidden);
