using System.Net;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;

namespace Consentry.Api.Tests.Link;

/// <summary>
/// Consentry's own result page (<c>/link/done</c>, apps without a redirect URL) over real HTTP: it shows only what the
/// server knows (the connection's platform, the app's branding), never text from its query, and gives each outcome a
/// next step, a reference and the app's support link.
/// </summary>
public abstract partial class LinkResultPageTests(LinkApp app)
{
    private const string Spoof = "Your bank account was hacked. Call +44 000";
    private readonly HttpClient _api = app.Beta();

    [Fact]
    public async Task DonePage_PlatformInTheQuery_IsNeverRendered()
    {
        using var browser = app.Browser();

        await browser.GoAsync("/link/done?status=200&platform=" + Uri.EscapeDataString(Spoof));

        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.DoesNotContain("hacked", browser.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("is connected", browser.Html, StringComparison.Ordinal);
        Assert.Contains("This page is not available", browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DonePage_ForgedOrAlteredReference_ShowsTheNeutralPage()
    {
        await UseOwnPageAsync();
        var companyId = await _api.CreateCompanyAsync();
        var connection = await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbcm" }).ExpectAsync(HttpStatusCode.OK);
        using var browser = await AuthorizeAsync(connection["linkUrl"]!.GetValue<string>(), "user_good");
        var reference = ReferenceOf(browser);

        foreach (var forged in new[] { "not-a-reference", reference[..^4] + (reference[^4..] == "AAAA" ? "BBBB" : "AAAA"), reference + "x" })
        {
            await browser.GoAsync($"/link/done?r={Uri.EscapeDataString(forged)}&platform={Uri.EscapeDataString(Spoof)}");
            Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
            Assert.Contains("This page is not available", browser.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("hacked", browser.Html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Beta Lending", browser.Html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Success_ShowsThePlatformFromTheDatabase_TheAppsBranding_AndReturnToTheApp()
    {
        await UseOwnPageAsync();
        var companyId = await _api.CreateCompanyAsync();
        var connection = await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbcm" }).ExpectAsync(HttpStatusCode.OK);

        using var browser = await AuthorizeAsync(connection["linkUrl"]!.GetValue<string>(), "user_good");
        Assert.Equal("/link/done", browser.Location.AbsolutePath);
        Assert.Equal(["r"], Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(browser.Location.Query).Keys);
        await browser.GoAsync(browser.Location.PathAndQuery + "&platform=" + Uri.EscapeDataString(Spoof));

        Assert.Equal(HttpStatusCode.OK, browser.Status);
        Assert.Contains("Consentry Sandbox Commerce is connected.", browser.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("hacked", browser.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<span class=\"brand-name\">Beta Lending</span>", browser.Html, StringComparison.Ordinal);
        Assert.Contains("<title>All done · Beta Lending</title>", browser.Html, StringComparison.Ordinal);
        Assert.Matches("<a class=\"button\" href=\"https://beta\\.example/?\" rel=\"noreferrer\">Return to Beta Lending</a>", browser.Html);
        Assert.DoesNotContain("Try again", browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_OffersTryAgainAndAnotherPlatform_WithAReferenceAndTheSupportLink()
    {
        await UseOwnPageAsync(supportUrl: "https://beta.example/help");
        var companyId = await _api.CreateCompanyAsync();
        var connection = await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);
        var connectionId = connection["id"]!.GetValue<string>();
        using var browser = app.Browser();
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);

        await browser.SubmitAsync("handler=Continue", button: $"/link/companies/{companyId}/connections/{connectionId}/start?handler=Cancel");

        Assert.Equal("/link/done", browser.Location.AbsolutePath);
        Assert.Contains("You cancelled, so nothing was shared with Beta Lending.", browser.Html, StringComparison.Ordinal);
        Assert.Contains($"<a class=\"button\" href=\"/link/companies/{companyId}/connections/{connectionId}/start\">Try again</a>", browser.Html, StringComparison.Ordinal);
        Assert.Contains($"<a class=\"button secondary\" href=\"/link/company/{companyId}?step=connect\">Choose another platform</a>", browser.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://beta.example/help\" rel=\"noreferrer\" target=\"_blank\">Contact Beta Lending support</a>", browser.Html, StringComparison.Ordinal);
        Assert.Matches(ReferencePattern(), browser.Html);
    }

    [Fact]
    public async Task TokenExchangeFails_ShowsPlainWordsAndTheReferenceTheLogsCarry_NotTheStatusCode()
    {
        await UseOwnPageAsync();
        var companyId = await _api.CreateCompanyAsync();
        var connection = await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);

        using var browser = await AuthorizeAsync(connection["linkUrl"]!.GetValue<string>(), "user_error");

        Assert.Equal("/link/done", browser.Location.AbsolutePath);
        Assert.Contains("The connection to Consentry Sandbox Accounting could not be completed, so nothing was shared with Beta Lending.", browser.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("(500)", browser.Html, StringComparison.Ordinal);
        Assert.Contains(">Try again</a>", browser.Html, StringComparison.Ordinal);
        Assert.Contains("Need help? Contact Beta Lending and quote reference", browser.Html, StringComparison.Ordinal);
        var reference = ReferencePattern().Match(browser.Html).Groups["id"].Value;
        Assert.Contains(app.Logs.Lines, l => l.Contains("Token exchange with sbac failed", StringComparison.Ordinal) && l.Contains(reference, StringComparison.Ordinal));
    }

    private async Task UseOwnPageAsync(string? supportUrl = null)
    {
        await _api.PutJsonAsync("/profile", new { name = "Beta", redirectUrl = "", whiteListUrls = new[] { "https://beta.example" } }).ExpectAsync(HttpStatusCode.OK);
        await _api.PutJsonAsync("/settings/link", new
        {
            companyName = "Beta Lending",
            supportUrl,
            categories = new { accounting = new { }, banking = new { }, commerce = new { optional = true } },
            texts = new { },
        }).ExpectAsync(HttpStatusCode.OK);
    }

    private async Task<LinkBrowser> AuthorizeAsync(string linkUrl, string username)
    {
        var browser = app.Browser();
        await browser.GoAsync(new Uri(linkUrl).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = username, ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");
        return browser;
    }

    private static string ReferenceOf(LinkBrowser browser) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(browser.Location.Query)["r"].ToString();

    [GeneratedRegex("quote reference <code>(?<id>[0-9a-f]{32})</code>")]
    private static partial Regex ReferencePattern();
}

public sealed class LinkResultPageTests_Sqlite(SqliteLinkApp app) : LinkResultPageTests(app), IClassFixture<SqliteLinkApp>;

public sealed class LinkResultPageTests_Postgres(PostgresLinkApp app) : LinkResultPageTests(app), IClassFixture<PostgresLinkApp>;
