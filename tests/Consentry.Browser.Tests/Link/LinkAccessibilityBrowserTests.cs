using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Link;

/// <summary>
/// Accessibility basics of every page a customer walks through (labels, names, keyboard, no horizontal scroll at the
/// 460 px Link width and on a phone), with the pages' CSP enforced. Writes screenshots of the consent and company pages
/// to the temporary folder for a person to look at.
/// </summary>
public abstract class LinkAccessibilityBrowserTests(LinkApp app, Chromium chromium, AppSite site) : LinkBrowserTest(app, chromium, site)
{
    /// <summary>Controls a person cannot identify: inputs without a label or aria-label, buttons and links without a name.</summary>
    private const string UnnamedControls = """
        () => [
          ...[...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter(i =>
              !(i.id && document.querySelector(`label[for="${CSS.escape(i.id)}"]`)?.textContent.trim())
              && !i.getAttribute('aria-label')?.trim() && !i.getAttribute('aria-labelledby') && !i.closest('label')),
          // A closed <details> renders no text (innerText is empty there): its contents are named by their text.
          ...[...document.querySelectorAll('button, a[href]')].filter(b => !((b.closest('details:not([open])') ? b.textContent : b.innerText).trim()
              || b.getAttribute('aria-label')?.trim())),
        ].map(e => e.outerHTML)
        """;

    public static readonly string ScreenshotFolder = Path.GetTempPath();

    private LinkTab? _walked;

    [Fact]
    public async Task EveryJourneyPage_At460px_HasNamedControlsAndNoHorizontalScroll()
    {
        var pages = await VisitEveryPageAsync(460, 840);

        Assert.Equal(["consent", "platform login", "platform consent", "company landing", "company connect", "result"], pages.Select(p => p.Name));
        foreach (var (name, unnamed, scrollWidth) in pages)
        {
            Assert.True(unnamed.Length == 0, $"{name}: controls without a label or name: {string.Join(", ", unnamed)}");
            Assert.True(scrollWidth <= 460, $"{name}: the page is {scrollWidth} px wide in a 460 px viewport");
        }

        Assert.True(_walked!.Errors.Count == 0, "script errors or CSP violations:\n" + string.Join("\n", _walked.Errors));
    }

    [Fact]
    public async Task EveryJourneyPage_OnAPhone390x844_HasNoHorizontalScroll()
    {
        var pages = await VisitEveryPageAsync(390, 844);

        Assert.Equal(6, pages.Count);
        foreach (var (name, _, scrollWidth) in pages)
        {
            Assert.True(scrollWidth <= 390, $"{name}: the page is {scrollWidth} px wide in a 390 px viewport");
        }
    }

    [Fact]
    public async Task ContinueButton_ReachedWithTabAndPressedWithEnter_OpensThePlatformLogin()
    {
        var (_, _, linkPath) = await NewConnectionAsync("sbbk");
        var tab = await OpenTabAsync();
        await tab.GotoAsync(linkPath);
        var focused = "";
        for (var presses = 0; presses < 25 && !focused.StartsWith("Continue to", StringComparison.Ordinal); presses++)
        {
            await tab.Page.Keyboard.PressAsync("Tab");
            focused = await tab.Page.EvaluateAsync<string>("() => document.activeElement?.innerText?.trim() ?? ''");
        }

        Assert.Equal("Continue to Consentry Sandbox Bank", focused);
        var outline = await tab.Page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        Assert.NotEqual("none", outline); // the keyboard focus is visible

        await tab.PressAndWaitAsync("Enter", IsAuthorize);

        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Consentry Sandbox Bank" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// Walks the pages of both journeys in a viewport of the given size (ending on Consentry's own pages) and measures
    /// each: its unnamed controls and its document width. Screenshots the consent and the company page.
    /// </summary>
    private async Task<List<(string Name, string[] Unnamed, int ScrollWidth)>> VisitEveryPageAsync(int width, int height)
    {
        var tab = _walked = await OpenTabAsync(width, height);
        using var beta = App.Beta(); // no redirect URL: the journey ends on Consentry's own result page
        await beta.PutJsonAsync("/profile", new { name = "Beta", redirectUrl = "" }).ExpectAsync(HttpStatusCode.OK);
        var (_, _, linkPath) = await NewConnectionAsync("sbac", beta);
        await CompanyLinkBrowserTests.UseBankingUploadAndOptionalCommerceAsync(Api);
        var companyId = await Api.CreateCompanyAsync("Accessible Trading Company With A Rather Long Registered Name Ltd");
        var pages = new List<(string, string[], int)>();
        async Task MeasureAsync(string name)
        {
            if (name is "consent" or "company connect")
            {
                await tab.Page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, $"consentry-link-{name.Replace(' ', '-')}-{width}x{height}.png"), FullPage = true });
            }

            pages.Add((name, await tab.Page.EvaluateAsync<string[]>(UnnamedControls),
                await tab.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")));
        }

        await tab.GotoAsync(linkPath);
        await MeasureAsync("consent");
        await ContinueToPlatformAsync(tab, "Consentry Sandbox Accounting");
        await MeasureAsync("platform login");
        await SignInAsync(tab, "user_good", "pass_good");
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Allow access" })).ToBeVisibleAsync();
        await MeasureAsync("platform consent");
        await AllowAsync(tab, u => u.Contains("/link/done", StringComparison.Ordinal));
        var result = tab.Page.Url; // the result page's address carries a protected reference, not text to show
        await tab.GotoAsync($"/link/company/{companyId}");
        await MeasureAsync("company landing");
        await tab.GotoAsync($"/link/company/{companyId}?step=connect");
        await Expect(tab.Page.GetByLabel("Or upload files instead")).ToBeVisibleAsync();
        await MeasureAsync("company connect");
        await tab.GotoAsync(result);
        await MeasureAsync("result");
        return pages;
    }
}

/// <summary>SQLite only: what is measured here is the markup and styles, the same on either database.</summary>
public sealed class LinkAccessibilityBrowserTests_Sqlite(SqliteLinkApp app, Chromium chromium, AppSite site)
    : LinkAccessibilityBrowserTests(app, chromium, site), IClassFixture<SqliteLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;
