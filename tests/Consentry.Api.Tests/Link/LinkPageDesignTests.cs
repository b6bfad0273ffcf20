using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Clients;
using Consentry.Core.Link;
using Consentry.Features.Link;

namespace Consentry.Api.Tests.Link;

/// <summary>
/// What the Link pages show a customer: progress across categories from the database (it survives a reload and a new
/// browser), what a returning customer already connected, the trust block, the app's name (never "Default"), and no emoji.
/// </summary>
public abstract partial class LinkPageDesignTests(LinkApp app)
{
    private readonly HttpClient _api = app.Beta();

    [Fact]
    public async Task Progress_SurvivesAReloadInANewBrowser_AndAReturningCustomerSeesWhatTheyConnected()
    {
        await _api.PutJsonAsync("/profile", new { name = "Beta", redirectUrl = "https://beta.example/back", whiteListUrls = new[] { "https://beta.example" } })
            .ExpectAsync(HttpStatusCode.OK);
        await _api.PutJsonAsync("/settings/link", new
        {
            companyName = "Beta Lending", supportUrl = "https://beta.example/help",
            categories = new { accounting = new { enabled = true }, banking = new { enabled = true }, commerce = new { enabled = true, optional = true } },
            texts = new { },
        }).ExpectAsync(HttpStatusCode.OK);
        var companyId = await _api.CreateCompanyAsync("Progress Ltd");
        using (var first = app.Browser())
        {
            await first.GoAsync($"/link/company/{companyId}?step=connect");
            Assert.Contains("0 of 3 connected", first.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("Welcome back.", first.Html, StringComparison.Ordinal);
            await first.SubmitAsync("handler=Choose", new() { ["platformKey"] = "sbac" });
            await first.SubmitAsync("handler=Authorize");
            await first.SubmitAsync("/oauth/login", new() { ["username"] = "user_good", ["password"] = "pass_good" });
            await first.SubmitAsync("/oauth/consent/accept");
        }

        using var later = app.Browser(); // no cookie, no session: what the page shows comes from the database
        await later.GoAsync($"/link/company/{companyId}");
        Assert.Contains("Welcome back.", later.Html, StringComparison.Ordinal);
        Assert.Contains("Already connected: Consentry Sandbox Accounting.", later.Html, StringComparison.Ordinal);
        Assert.Contains("1 of 3 connected", later.Html, StringComparison.Ordinal);
        Assert.Contains("Your data is safe", later.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://beta.example/help\"", later.Html, StringComparison.Ordinal);
        await later.GoAsync($"/link/company/{companyId}?step=connect&locale=fr");
        Assert.Contains("1 sur 3 connecté(s)", WebUtility.HtmlDecode(later.Html), StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultClient_IsNeverCalledDefault()
    {
        var settings = new LinkSettings();
        var client = new Client { Name = "Default", Profile = new ClientProfile { WhiteListUrls = ["https://copay.example/app"] } };
        Assert.Equal("copay.example", LinkBrand.Name(settings, client));
        Assert.Equal("the app", LinkBrand.Name(settings, new Client { Name = "Default" }));
        Assert.Equal("CoPay", LinkBrand.Name(new LinkSettings { CompanyName = "CoPay" }, client));
        Assert.Equal("Alpha", LinkBrand.Name(settings, new Client { Name = "Alpha" }));
    }

    [Fact]
    public async Task NoLinkPage_AndNoLinkAsset_ContainsEmoji()
    {
        var companyId = await _api.CreateCompanyAsync("Plain Text Ltd");
        var connection = await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);
        var pages = new[]
        {
            $"/link/company/{companyId}", $"/link/company/{companyId}?step=connect", $"/link/company/{companyId}/manage",
            new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery, $"/link/embed/{companyId}", "/link/done?r=nothing",
            $"/link/company/{Guid.NewGuid()}",
        };
        foreach (var locale in new[] { "en", "fr", "de", "es", "nl" })
        {
            foreach (var page in pages)
            {
                using var browser = app.Browser();
                await browser.GoAsync(page + (page.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"locale={locale}");
                var html = WebUtility.HtmlDecode(browser.Html); // Razor writes non-ASCII characters as &#x…; references
                Assert.True(Emoji(html) is null, $"{page} in {locale} shows {Emoji(html)}");
            }
        }

        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Consentry.slnx")))
        {
            root = root.Parent ?? throw new InvalidOperationException("The repository root (Consentry.slnx) was not found.");
        }

        var sources = new[] { "src/Consentry/Pages/Link", "src/Consentry/wwwroot/link", "src/Consentry/wwwroot/sdk", "sdk/link/src" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root.FullName, d), "*", SearchOption.AllDirectories)).ToList();
        Assert.NotEmpty(sources);
        foreach (var file in sources)
        {
            Assert.True(Emoji(await File.ReadAllTextAsync(file)) is null, $"{file} contains {Emoji(await File.ReadAllTextAsync(file))}");
        }
    }

    /// <summary>The first emoji or pictograph in <paramref name="text"/> (symbols that need an emoji font: U+2600–27BF, U+1F000 and up).</summary>
    private static string? Emoji(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is >= 0x2600 and <= 0x27BF or >= 0x2B00 and <= 0x2BFF or >= 0x1F000 or 0xFE0F)
            {
                return $"U+{rune.Value:X4} ({rune})";
            }
        }

        return null;
    }
}

public sealed class LinkPageDesignTests_Sqlite(SqliteLinkApp app) : LinkPageDesignTests(app), IClassFixture<SqliteLinkApp>;

public sealed class LinkPageDesignTests_Postgres(PostgresLinkApp app) : LinkPageDesignTests(app), IClassFixture<PostgresLinkApp>;
