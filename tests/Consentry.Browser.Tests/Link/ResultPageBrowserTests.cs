using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Link;

/// <summary>
/// Consentry's own result page in chromium, for an app without a redirect URL: text from the address is never shown,
/// the app's branding stays, and a cancelled journey leads on (Try again, Choose another platform, Return to the app).
/// </summary>
public abstract class ResultPageBrowserTests(LinkApp app, Chromium chromium, AppSite site) : LinkBrowserTest(app, chromium, site)
{
    [Fact]
    public async Task SpoofedDoneAddress_ShowsANeutralPage_WithoutTheInjectedText()
    {
        var tab = await OpenTabAsync(390, 844);

        await tab.GotoAsync("/link/done?status=200&platform=" + Uri.EscapeDataString("Your bank account was hacked. Call +44 000"));

        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This page is not available");
        await Expect(tab.Page.Locator("body")).Not.ToContainTextAsync("hacked");
        await Expect(tab.Page.Locator("body")).Not.ToContainTextAsync("is connected");
    }

    [Fact]
    public async Task DeniedAtThePlatform_ResultKeepsTheAppsBranding_AndTryAgainAndAnotherPlatformLeadOn()
    {
        using var beta = App.Beta();
        await beta.PutJsonAsync("/profile", new { name = "Beta", redirectUrl = "", whiteListUrls = new[] { AppOrigin } }).ExpectAsync(HttpStatusCode.OK);
        await beta.PutJsonAsync("/settings/link", new { companyName = "Beta Lending", categories = new { accounting = new { }, banking = new { }, commerce = new { } }, texts = new { } })
            .ExpectAsync(HttpStatusCode.OK);
        var (companyId, _, linkPath) = await NewConnectionAsync("sbcm", beta);
        var tab = await OpenTabAsync(390, 844);
        await tab.GotoAsync(linkPath);
        await ContinueToPlatformAsync(tab, "Consentry Sandbox Commerce");
        await SignInAsync(tab, "user_deny", "pass_good");

        await AllowAsync(tab, u => u.Contains("/link/done", StringComparison.Ordinal));

        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not connected");
        await Expect(tab.Page.Locator(".brand-name")).ToHaveTextAsync("Beta Lending");
        await Expect(tab.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("You cancelled, so nothing was shared with Beta Lending. You can try again, or choose another platform.");
        await Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Return to Beta Lending" })).ToHaveAttributeAsync("href", AppOrigin);
        await Expect(tab.Page.GetByText("quote reference")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("[0-9a-f]{32}"));
        var result = tab.Page.Url;
        await tab.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"consentry-link-result-cancelled-{App.Provider}-390x844.png"), FullPage = true });

        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Try again" }), u => u.Contains("/start", StringComparison.Ordinal));
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Connect Consentry Sandbox Commerce" })).ToBeVisibleAsync();

        await tab.GotoAsync(result);
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Choose another platform" }), u => u.Contains($"/link/company/{companyId}", StringComparison.Ordinal));
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Connect your business");
        Assert.True(tab.Errors.Count == 0, "script errors or CSP violations:\n" + string.Join("\n", tab.Errors));
    }
}

/// <summary>SQLite only: the page renders what the database returns the same way on either provider (LinkResultPageTests cover both).</summary>
public sealed class ResultPageBrowserTests_Sqlite(SqliteLinkApp app, Chromium chromium, AppSite site)
    : ResultPageBrowserTests(app, chromium, site), IClassFixture<SqliteLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;
