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
public abstract class LinkAccessibilityBrowserTests(LinkApp app, Chromium chromium) : LinkBrowserTest(app, chromium)
{
    /// <summary>Controls a person cannot identify: inputs without a label or aria-label, buttons and links without a name.</summary>
    private const string UnnamedControls = """
        () => [
          ...[...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter(i =>
              !(i.id && document.querySelector(`label[for="${CSS.escape(i.id)}"]`)?.textContent.trim())
              && !i.getAttribute('aria-label')?.trim() && !i.getAttribute('aria-labelledby') && !i.closest('label')),
          ...[...document.querySelectorAll('button, a[href]')].filter(b => !(b.innerText.trim() || b.getAttribute('aria-label')?.trim())),
        ].map(e => e.outerHTML)
        """;

    public static readonly string ScreenshotFolder = Path.GetTempPath();

    [Fact]
    public async Task EveryInputAndButton_OnEveryJourneyPage_HasAName()
    {
        var pages = await VisitEveryPageAsync(await OpenTabAsync(), _ => Task.CompletedTask);

        Assert.Equal(["consent", "platform login", "platform consent", "company landing", "company connect", "result"], pages.Select(p => p.Name));
        foreach (var (name, unnamed, _) in pages)
        {
            Assert.True(unnamed.Length == 0, $"{name}: controls without a label or name: {string.Join(", ", unnamed)}");
        }
    }

    [Theory]
    [InlineData(460, 840)]
    [InlineData(390, 844)]
    public async Task EveryJourneyPage_AtTheLinkWidthAndOnAPhone_HasNoHorizontalScroll(int width, int height)
    {
        var tab = await OpenTabAsync(width, height);
        var pages = await VisitEveryPageAsync(tab, async name =>
        {
            if (name is "consent" or "company connect")
            {
                await tab.Page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, $"consentry-link-{name.Replace(' ', '-')}-{width}x{height}.png"), FullPage = true });
            }
        });

        foreach (var (name, _, scrollWidth) in pages)
        {
            Assert.True(scrollWidth <= width, $"{name}: the page is {scrollWidth} px wide in a {width} px viewport");
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
    /// Walks the pages of both journeys (stopping before anything leaves Consentry's origin) and measures each:
    /// its unnamed controls and its document width. <paramref name="onPage"/> runs on each page (screenshots).
    /// </summary>
    private async Task<List<(string Name, string[] Unnamed, int ScrollWidth)>> VisitEveryPageAsync(LinkTab tab, Func<string, Task> onPage)
    {
        using var beta = App.Beta(); // no redirect URL: the journey ends on Consentry's own result page
        await beta.PutJsonAsync("/profile", new { name = "Beta", redirectUrl = "" }).ExpectAsync(HttpStatusCode.OK);
        var (_, _, linkPath) = await NewConnectionAsync("sbac", beta);
        await CompanyLinkBrowserTests.UseBankingUploadAndOptionalCommerceAsync(App);
        var companyId = await Api.CreateCompanyAsync("Accessible Trading Company With A Rather Long Registered Name Ltd");
        var pages = new List<(string, string[], int)>();
        async Task MeasureAsync(string name)
        {
            await onPage(name);
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
        await tab.GotoAsync($"/link/company/{companyId}");
        await MeasureAsync("company landing");
        await tab.GotoAsync($"/link/company/{companyId}?step=connect");
        await Expect(tab.Page.GetByLabel("Or upload files instead")).ToBeVisibleAsync();
        await MeasureAsync("company connect");
        await tab.GotoAsync("/link/done?status=200&platform=Consentry%20Sandbox%20Accounting");
        await MeasureAsync("result");
        return pages;
    }
}

/// <summary>SQLite only: what is measured here is the markup and styles, the same on either database.</summary>
public sealed class LinkAccessibilityBrowserTests_Sqlite(SqliteLinkApp app, Chromium chromium)
    : LinkAccessibilityBrowserTests(app, chromium), IClassFixture<SqliteLinkApp>, IClassFixture<Chromium>;
