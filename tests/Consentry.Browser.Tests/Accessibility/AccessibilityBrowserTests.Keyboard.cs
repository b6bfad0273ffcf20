using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Consentry.Browser.Tests.Link;
using Consentry.Core.Connections;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Accessibility;

/// <summary>The keyboard-only journey, visible focus, 200 % zoom and 320 px reflow, and reduced motion.</summary>
public abstract partial class AccessibilityBrowserTests
{
    /// <summary>The focused element's name (text or aria-label) and whether its focus is drawn (an outline or a box shadow).</summary>
    private const string Focused = """
        () => {
          const e = document.activeElement;
          if (!e || e === document.body) return { name: '', tag: '', visible: false };
          const s = getComputedStyle(e);
          const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
          // A date field's focus sits on one of its parts (day, month, year), which chromium highlights itself.
          const datePart = e.tagName === 'INPUT' && ['date', 'datetime-local', 'time'].includes(e.type);
          return { name: (e.innerText || e.value || e.getAttribute('aria-label') || e.id || '').trim(), tag: e.tagName.toLowerCase(),
                   visible: outline || s.boxShadow !== 'none' || datePart };
        }
        """;

    [Fact]
    public async Task KeyboardOnly_SandboxJourney_FromConsentToDone_WithTabShiftTabEnterAndSpace()
    {
        using var beta = App.Beta(); // no redirect URL: the journey ends on Consentry's own result page
        await beta.PutJsonAsync("/profile", new { name = "Beta", redirectUrl = "" }).ExpectAsync(HttpStatusCode.OK);
        var (_, connectionId, linkPath) = await NewConnectionAsync("sbac", beta);
        var tab = await OpenTabAsync();
        await tab.GotoAsync(linkPath);

        // Tab past "Continue" to "Cancel", Shift+Tab back, and Enter: the platform's sign-in page.
        await TabToAsync(tab, "Cancel");
        await tab.Page.Keyboard.PressAsync("Shift+Tab");
        Assert.Equal("Continue to Consentry Sandbox Accounting", (await tab.Page.EvaluateAsync<FocusState>(Focused)).Name);
        await tab.PressAndWaitAsync("Enter", IsAuthorize);

        await TabToAsync(tab, "username", "input");
        await tab.Page.Keyboard.TypeAsync("user_good");
        await tab.Page.Keyboard.PressAsync("Tab");
        await tab.Page.Keyboard.TypeAsync("pass_good");
        await TabToAsync(tab, "Sign in");
        await tab.PressAndWaitAsync("Space", u => u.Contains("/oauth/login", StringComparison.Ordinal));

        await TabToAsync(tab, "Allow access");
        await tab.PressAndWaitAsync("Enter", u => u.Contains("/link/done", StringComparison.Ordinal));

        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("All done");
        Assert.Equal(ConnectionStatus.Linked, await StatusAsync(connectionId));
    }

    [Fact]
    public async Task FocusVisible_EveryControlReachedWithTab_OnLinkAndPortalPages_IsOutlined()
    {
        await CompanyLinkBrowserTests.UseBankingUploadAndOptionalCommerceAsync(Api);
        var companyId = await Api.CreateCompanyAsync("Focus Ltd");
        var (_, _, linkPath) = await NewConnectionAsync("sbbk");
        var tab = await OpenTabAsync(1280, 900);
        var pages = new[] { linkPath, $"/link/company/{companyId}", $"/link/company/{companyId}?step=connect", "/portal/signin" };
        foreach (var page in pages)
        {
            await tab.GotoAsync(page);
            await AssertEveryTabStopIsOutlinedAsync(tab, page);
        }

        await SignInToPortalAsync(tab);
        foreach (var page in new[] { "/portal/settings/link", $"/portal/companies", "/portal/monitor/authflow" })
        {
            await tab.GotoAsync(page);
            await AssertEveryTabStopIsOutlinedAsync(tab, page);
        }
    }

    [Fact]
    public async Task Zoom200AndReflow320_LinkAndPortalPages_HaveNoHorizontalScroll()
    {
        // 200 % zoom of a 1280 px wide window is a 640 CSS px viewport at twice the pixel density; WCAG's reflow is 320 CSS px.
        await CompanyLinkBrowserTests.UseBankingUploadAndOptionalCommerceAsync(Api);
        var companyId = await Api.CreateCompanyAsync("Zoomed Trading Company With A Rather Long Registered Name Ltd");
        var (connectedCompany, _, linkPath) = await NewConnectionAsync("sbac");
        var link = new[] { linkPath, $"/link/company/{companyId}", $"/link/company/{companyId}?step=connect", "/portal/signin" };
        var tab = await OpenTabAsync(640, 720, deviceScaleFactor: 2);
        Assert.Equal(2, await tab.Page.EvaluateAsync<double>("() => window.devicePixelRatio"));
        foreach (var width in new[] { 640, 320 })
        {
            await tab.Page.SetViewportSizeAsync(width, 720);
            foreach (var page in link)
            {
                await tab.GotoAsync(page);
                await AssertNoHorizontalScrollAsync(tab, page, width);
            }
        }

        await tab.Page.SetViewportSizeAsync(640, 720);
        await tab.GotoAsync("/portal/signin");
        await SignInToPortalAsync(tab);
        foreach (var width in new[] { 640, 320 })
        {
            await tab.Page.SetViewportSizeAsync(width, 720);
            foreach (var page in PortalPages(connectedCompany))
            {
                await tab.GotoAsync(page);
                await AssertNoHorizontalScrollAsync(tab, page, width);
            }
        }
    }

    [Fact]
    public async Task ReducedMotion_Requested_NoTransitionsOrAnimationsOnLinkAndPortalPages()
    {
        var (_, _, linkPath) = await NewConnectionAsync("sbbk");
        var tab = await OpenTabAsync(1280, 900);
        const string Moving = """
            () => [...document.querySelectorAll('*')].filter(e => {
              const s = getComputedStyle(e);
              const long = v => v.split(',').some(d => parseFloat(d) > 0);
              return long(s.transitionDuration) || (s.animationName !== 'none' && long(s.animationDuration));
            }).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))
            """;
        foreach (var page in new[] { linkPath, "/portal/signin" })
        {
            await tab.GotoAsync(page);
            Assert.NotEmpty(await tab.Page.EvaluateAsync<string[]>(Moving)); // the buttons' transitions, without the preference

            await tab.Page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.Reduce });
            var moving = await tab.Page.EvaluateAsync<string[]>(Moving);
            Assert.True(moving.Length == 0, $"{page}: still moving with reduced motion: {string.Join(", ", moving)}");
            await tab.Page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.NoPreference });
        }
    }

    /// <summary>Presses Tab until the focused element is named <paramref name="name"/> (and is a <paramref name="tag"/>, when given).</summary>
    private static async Task TabToAsync(LinkTab tab, string name, string? tag = null)
    {
        var seen = new List<string>();
        for (var presses = 0; presses < 40; presses++)
        {
            await tab.Page.Keyboard.PressAsync("Tab");
            var focused = await tab.Page.EvaluateAsync<FocusState>(Focused);
            if (string.Equals(focused.Name, name, StringComparison.OrdinalIgnoreCase) && (tag is null || focused.Tag == tag))
            {
                Assert.True(focused.Visible, $"{name} is focused without a visible outline");
                return;
            }

            seen.Add(focused.Name);
        }

        Assert.Fail($"Tab never reached \"{name}\" on {tab.Page.Url}; it reached: {string.Join(" | ", seen)}");
    }

    /// <summary>Tabs through the page from its start until focus leaves it or comes back round; every stop must be drawn.</summary>
    private static async Task AssertEveryTabStopIsOutlinedAsync(LinkTab tab, string page)
    {
        var stops = 0;
        var first = "";
        for (var presses = 0; presses < 60; presses++)
        {
            await tab.Page.Keyboard.PressAsync("Tab");
            var focused = await tab.Page.EvaluateAsync<FocusState>(Focused);
            var key = focused.Tag + ":" + focused.Name;
            if (focused.Tag == "" || key == first)
            {
                break;
            }

            first = first == "" ? key : first;
            stops++;
            Assert.True(focused.Visible, $"{page}: the focused {focused.Tag} \"{focused.Name}\" has no visible outline or shadow");
        }

        Assert.True(stops > 0, $"{page}: Tab reached no control");
    }

    private static async Task AssertNoHorizontalScrollAsync(LinkTab tab, string page, int width)
    {
        var widths = await tab.Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"{page} is {widths[0]} CSS px wide in a {width} CSS px viewport");
    }

    /// <summary>What <see cref="Focused"/> answers (Playwright fills it through its setters).</summary>
    private sealed class FocusState
    {
        public string Name { get; set; } = "";

        public string Tag { get; set; } = "";

        public bool Visible { get; set; }
    }
}
