using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Consentry.Core.Link;
using Consentry.Features.Settings;
using Consentry.Querying.Tests;

namespace Consentry.Api.Tests.Abuse;

/// <summary>
/// Seeded hostile URLs against the redirect allow-list (<see cref="RedirectTemplate.Allowed"/>), the template filling
/// and <see cref="UrlRules"/>: never a false accept. The judge is a deliberately strict reading of a URL (ASCII host,
/// optional port, nothing else in the authority): an accepted URL must read, that way, as one of the allowed origins.
/// </summary>
public sealed partial class RedirectAllowListFuzzTests
{
    private static readonly string[] AllowList = ["https://app.example.com", "http://localhost:3000", "https://example.org:8443/any/path"];

    private static readonly string[] Schemes =
        ["https://", "http://", "HTTPS://", "https:", "https:/", "https:\\\\", "https:/\\", "//", "\\\\", "javascript:", "data:text/html,", "ftp://",
            " https://", "\thttps://", "https\u0000://", "ｈttps://", "https://\u200b", "http%3a//", "https:///"];

    private static readonly string[] Hosts =
        ["app.example.com", "APP.Example.COM", "evil.com", "app.example.com.evil.com", "evil.com#app.example.com", "app.example.com.", "localhost",
            "example.org", "evil.com?.app.example.com", "app.example.com\\.evil.com", "app%2eexample.com", "%61pp.example.com", "app。example。com",
            "app．example．com", "ａｐｐ.example.com", "xn--pp-6ka.example.com", "app.example.com%00.evil.com", "127.0.0.1", "[::1]", "0x7f.1",
            "app.example.com%2f@evil.com", "app.exam\u0000ple.com", "аpp.example.com", "app.example.com\u3002evil.com", ""];

    private static readonly string[] UserInfos =
        ["", "", "", "user@", "app.example.com@", "app.example.com:443@", "a:b@", "@", "evil.com@", "%40@", "app.example.com%40"];

    private static readonly string[] Ports = ["", "", "", ":443", ":3000", ":8443", ":0443", ":80", ":99999", ":", ":-1", ":443 ", ":3000@evil.com"];

    private static readonly string[] Tails =
        ["", "/", "/cb?x=1", "#frag", "?next=https://evil.com", "/\\evil.com", "@evil.com", "/%2F%2Fevil.com", " /x", "\n/x", "/..;/x", "#@evil.com"];

    [Fact]
    public void Allowed_SeededHostileUrls_NeverAcceptsAnotherOrigin()
    {
        var seed = FuzzSettings.Seed(424_242);
        var iterations = FuzzSettings.Iterations(30_000);
        var random = new Random(seed);
        var accepted = 0;
        for (var i = 0; i < iterations; i++)
        {
            var url = Pick(random, Schemes) + Pick(random, UserInfos) + Pick(random, Hosts) + Pick(random, Ports) + Pick(random, Tails);
            if (random.Next(4) == 0)
            {
                url = Mutate(random, url);
            }

            Uri? allowed;
            try
            {
                allowed = RedirectTemplate.Allowed(url, AllowList);
            }
            catch (Exception ex)
            {
                Assert.Fail($"Seed {seed}, input #{i}: {Show(url)} threw {ex}");
                return;
            }

            if (allowed is null)
            {
                continue;
            }

            // The browser follows what is sent (the parsed URL, re-serialised): that must be one of the allowed origins.
            accepted++;
            var origin = StrictOrigin(allowed.AbsoluteUri);
            Assert.True(origin is not null && AllowList.Select(StrictOrigin).Contains(origin),
                $"Seed {seed}, input #{i}: accepted {Show(url)} as {Show(allowed.AbsoluteUri)} (read by the strict judge as {origin ?? "unreadable"}).");
        }

        // The generator must also produce real matches, or the test proves nothing.
        Assert.True(accepted >= Math.Min(20, iterations / 1000), $"Seed {seed}: only {accepted} URLs were accepted.");
    }

    [Fact]
    public void Fill_HostileCustomParameters_NeverLeaveTheTemplatesOrigin()
    {
        var seed = FuzzSettings.Seed(515_151);
        var iterations = FuzzSettings.Iterations(20_000);
        var random = new Random(seed);
        var templates = new[] { "https://app.example.com/{x}", "https://app.example.com{x}", "https://app.example.com/cb?c={companyId}&x={x}", "https://app.example.com:443{x}/p" };
        var reserved = new Dictionary<string, string> { ["companyId"] = Guid.NewGuid().ToString() };
        for (var i = 0; i < iterations; i++)
        {
            var value = Pick(random, UserInfos) + Pick(random, Hosts) + Pick(random, Ports) + Pick(random, Tails);
            var url = RedirectTemplate.Fill(Pick(random, templates), reserved, new Dictionary<string, string> { ["x"] = Mutate(random, value) });
            if (RedirectTemplate.Allowed(url, AllowList) is { } allowed)
            {
                Assert.True(allowed.Host == "app.example.com" && allowed.Port == 443, $"Seed {seed}, input #{i}: {Show(url)} went to {allowed}.");
            }
        }
    }

    [Fact]
    public void NormalizeOrigin_SeededHostileUrls_ReturnsOnlyPlainOrigins()
    {
        var seed = FuzzSettings.Seed(616_161);
        var iterations = FuzzSettings.Iterations(20_000);
        var random = new Random(seed);
        for (var i = 0; i < iterations; i++)
        {
            var url = Pick(random, Schemes) + Pick(random, UserInfos) + Pick(random, Hosts) + Pick(random, Ports) + Pick(random, Tails);
            if (UrlRules.NormalizeOrigin(url) is { } origin)
            {
                Assert.True(PlainOrigin().IsMatch(origin), $"Seed {seed}, input #{i}: {Show(url)} normalised to {Show(origin)}.");
            }
        }
    }

    [Theory]
    [InlineData("https://app.example.com/cb?x=1")]
    [InlineData("HTTPS://APP.EXAMPLE.COM:443/")]
    [InlineData("http://localhost:3000/done")]
    [InlineData("https://example.org:8443")]
    public void Allowed_PlainAllowedUrls_AreAccepted(string url) => Assert.NotNull(RedirectTemplate.Allowed(url, AllowList));

    [Theory]
    [InlineData("https://app.example.com@evil.com/")]
    [InlineData("https://evil.com\\@app.example.com/")]
    [InlineData("https://app.example.com%2f@evil.com")]
    [InlineData("https://app%2eexample.com")]
    [InlineData("https://app.example.com:8443/")]
    [InlineData("http://app.example.com/")]
    [InlineData("javascript:alert(1)//app.example.com")]
    [InlineData("//app.example.com/x")]
    public void Allowed_KnownTricks_AreRefused(string url) => Assert.Null(RedirectTemplate.Allowed(url, AllowList));

    /// <summary>scheme://host[:port] of a URL in the plainest form only; null for anything else.</summary>
    private static string? StrictOrigin(string url)
    {
        var match = StrictUrl().Match(url);
        if (!match.Success)
        {
            return null;
        }

        var scheme = match.Groups["scheme"].Value.ToLowerInvariant();
        var port = match.Groups["port"].Success
            ? int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture)
            : scheme == "https" ? 443 : 80;
        return port is > 0 and < 65536 ? $"{scheme}://{match.Groups["host"].Value.ToLowerInvariant()}:{port}" : null;
    }

    private static string Mutate(Random random, string text)
    {
        var builder = new StringBuilder(text);
        var at = random.Next(builder.Length + 1);
        builder.Insert(at, Pick(random, ["%", "%2e", "%40", "\\", "@", ".", ":", "/", "#", "?", "\u3002", "\uff0e", "\u0000", " ", "\t", "\u00ad", "é"]));
        return builder.ToString();
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    private static string Show(string text) =>
        "\"" + string.Concat(text.Select(c => c < 0x20 || c > 0x7e ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString())) + "\"";

    [GeneratedRegex(@"\A(?<scheme>https?)://(?<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(?<port>[0-9]{1,5}))?(?:[/?#][^\\]*)?\z", RegexOptions.IgnoreCase)]
    private static partial Regex StrictUrl();

    [GeneratedRegex(@"\Ahttps?://[^/@?#\\]+\z")]
    private static partial Regex PlainOrigin();
}
