using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Consentry.Browser.Tests.Link;
using Consentry.Browser.Tests.Portal;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Accessibility;

/// <summary>
/// WCAG 2.2 AA in chromium: axe-core (see <see cref="AxeAssert"/>) on every Link page, the SDK's journey in an app's
/// page and every portal page, with 0 serious or critical violations. One host and one chromium for all of it (the
/// keyboard, focus, zoom and motion checks are in the other part of this class).
/// </summary>
public abstract partial class AccessibilityBrowserTests(PortalLinkApp app, Chromium chromium, AppSite site) : LinkBrowserTest(app, chromium, site)
{
    [Fact]
    public async Task Axe_EveryLinkPage_HasNoSeriousOrCriticalViolations()
    {
        var tab = await OpenTabAsync();
        using var beta = App.Beta(); // no redirect URL: the journeys end on Consentry's own result page
        await beta.PutJsonAsync("/profile", new { name = "Beta", redirectUrl = "" }).ExpectAsync(HttpStatusCode.OK);

        // The sandbox journey, authorized: consent, the platform's sign-in and consent pages, the result page.
        var (_, _, linkPath) = await NewConnectionAsync("sbac", beta);
        await tab.GotoAsync(linkPath);
        await AxeAssert.NoSeriousViolationsAsync(tab.Page, "consent");
        await ContinueToPlatformAsync(tab, "Consentry Sandbox Accounting");
        await AxeAssert.NoSeriousViolationsAsync(tab.Page, "platform sign-in (sandbox)");
        await SignInAsync(tab, "user_good", "pass_good");
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Allow access" })).ToBeVisibleAsync();
        await AxeAssert.NoSeriousViolationsAsync(tab.Page, "platform consent (sandbox)");
        await AllowAsync(tab, u => u.Contains("/link/done", StringComparison.Ordinal));
        await AxeAssert.NoSeriousViolationsAsync(tab.Page, "done (connected)");

        // Cancelled at the platform: the result page's failure variant.
        var (_, _, denied) = await NewConnectionAsync("sbbk", beta);
        await tab.GotoAsync(denied);
        await ContinueToPlatformAsync(tab, "Consentry Sandbox Bank");
        await SignInAsync(tab, "user_deny", "pass_good");
        await AllowAsync(tab, u => u.Contains("/link/done", StringComparison.Ordinal));
        await AxeAssert.NoSeriousViolationsAsync(tab.Page, "done (not connected)");

        // The company journey: landing, the categories with file upload, the manage-connections page.
        await CompanyLinkBrowserTests.UseBankingUploadAndOptionalCommerceAsync(Api);
        var companyId = await Api.CreateCompanyAsync("Accessible Trading Ltd");
        await tab.GotoAsync($"/link/company/{companyId}");
        await AxeAssert.NoSeriousViolationsAsync(tab.Page, "company landing");
        await tab.GotoAsync($"/link/company/{companyId}?step=connect");
        await Expect(tab.Page.GetByLabel("Or upload files instead")).ToBeVisibleAsync();
        await AxeAssert.NoSeriousViolationsAsync(tab.Page, "company connect");
        var token = (await Api.GetAsync($"/companies/{companyId}/accessToken").ExpectAsync(HttpStatusCode.OK))["accessToken"]!.GetValue<string>();
        await tab.GotoAsync($"/link/company/{companyId}/manage#accessToken={Uri.EscapeDataString(token)}");
        await Expect(tab.Page.Locator("[data-consentry-connections]")).ToBeVisibleAsync();
        await AxeAssert.NoSeriousViolationsAsync(tab.Page, "manage connections");

        // Error pages: an unknown company, a callback nobody started, a popup's result for an unknown company, a bad ticket.
        string[] errors =
        [
            $"/link/company/{Guid.NewGuid()}", "/link/oauth/callback/sbac?code=x&state=not-a-state", $"/link/embed/result?companyId={Guid.NewGuid()}&status=200",
            "/link/embed/authorize?ticket=not-a-ticket", "/link/done?r=not-a-reference",
        ];
        foreach (var error in errors)
        {
            await tab.GotoAsync(error);
            await AxeAssert.NoSeriousViolationsAsync(tab.Page, "error page");
        }

        Assert.True(tab.Errors.All(e => e.Contains("answered 4", StringComparison.Ordinal) || e.Contains("favicon", StringComparison.Ordinal)),
            string.Join("\n", tab.Errors));
    }

    [Fact]
    public async Task Axe_TheSdksJourneyInAnAppsPage_HasNoSeriousOrCriticalViolations()
    {
        var tab = await OpenSdkHostAsync(1100, 900);
        await AxeAssert.NoSeriousViolationsAsync(tab.Page, "the app's page with the SDK's frame");
        var frame = await EmbeddedFrameAsync(tab);
        await AxeAssert.NoSeriousViolationsAsync(frame, "SDK landing");
        await frame.GetByRole(AriaRole.Button, new() { Name = "Get started" }).ClickAsync();
        await Expect(frame.GetByRole(AriaRole.Button, new() { Name = "Consentry Sandbox Accounting" })).ToBeVisibleAsync();
        await AxeAssert.NoSeriousViolationsAsync(frame, "SDK categories");
        await frame.GetByRole(AriaRole.Button, new() { Name = "Consentry Sandbox Accounting" }).ClickAsync();
        await Expect(frame.GetByRole(AriaRole.Button, new() { Name = "Continue to Consentry Sandbox Accounting" })).ToBeVisibleAsync();
        await AxeAssert.NoSeriousViolationsAsync(frame, "SDK platform");

        // On a phone the SDK shows the journey as a full-screen modal over the app's page.
        await tab.Page.SetViewportSizeAsync(390, 844);
        await AxeAssert.NoSeriousViolationsAsync(tab.Page, "the app's page with the SDK's modal (phone)");
        await AxeAssert.NoSeriousViolationsAsync(frame, "SDK platform (phone)");
    }

    [Fact]
    public async Task Axe_EveryPortalPage_HasNoSeriousOrCriticalViolations()
    {
        var (companyId, _, _) = await NewConnectionAsync("sbac");
        var tab = await OpenTabAsync(1280, 900);
        await tab.GotoAsync("/portal/signin");
        await AxeAssert.NoSeriousViolationsAsync(tab.Page, "portal sign-in");
        await SignInToPortalAsync(tab);
        foreach (var page in PortalPages(companyId))
        {
            await tab.GotoAsync(page);
            await AxeAssert.NoSeriousViolationsAsync(tab.Page, page);
        }

        Assert.Empty(tab.Errors);
    }

    /// <summary>Every page of the portal's navigation, a company's page among them (the operator's pages too: the admin is one).</summary>
    private static string[] PortalPages(string companyId) =>
    [
        "/portal", "/portal/companies", $"/portal/companies/{companyId}", "/portal/monitor/authflow", "/portal/monitor/webhooks",
        "/portal/monitor/experiments", "/portal/monitor/golive", "/portal/monitor/health", "/portal/monitor/platformrequests",
        "/portal/settings/link", "/portal/settings/branding", "/portal/settings/redirects", "/portal/settings/integrations",
        "/portal/settings/apikeys", "/portal/settings/webhooks", "/portal/operator/clients", "/portal/operator/keys", "/portal/operator/logos",
    ];

    private static async Task SignInToPortalAsync(LinkTab tab)
    {
        await tab.Page.GetByLabel("Email").FillAsync(PortalLinkApp.AdminEmail);
        await tab.Page.GetByLabel("Password").FillAsync(PortalLinkApp.AdminPassword);
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }), u => !u.Contains("/signin", StringComparison.Ordinal));
    }

    /// <summary>
    /// An app's page on its own origin (allowed by Alpha's CORS settings) that loads the SDK from the host and mounts
    /// CodatLink for a new company, as Codat's documentation shows.
    /// </summary>
    private async Task<LinkTab> OpenSdkHostAsync(int width, int height)
    {
        var cors = await Api.GetAsync("/corsSettings").ExpectAsync(HttpStatusCode.OK);
        var origins = cors["allowedOrigins"]!.AsArray().Select(o => o!.GetValue<string>()).Append(AppOrigin).Distinct().ToArray();
        await Api.PostJsonAsync("/corsSettings", new { allowedOrigins = origins }).ExpectAsync(HttpStatusCode.OK);
        var companyId = await Api.CreateCompanyAsync("Embedded Accessible Ltd");
        var token = (await Api.GetAsync($"/companies/{companyId}/accessToken").ExpectAsync(HttpStatusCode.OK))["accessToken"]!.GetValue<string>();
        var html = $$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Apply · Test app</title></head><body><main><h1>Connect your accounts</h1><div id="link"></div></main>
            <script type="module">
            import { CodatLink } from "{{App.BaseUrl}}/sdk/link.js";
            new CodatLink({ target: document.getElementById("link"), props: { companyId: "{{companyId}}", accessToken: "{{token}}", options: { showLandingPage: true },
              onConnection: () => {}, onFinish: () => {}, onError: () => {}, onClose: () => {} } });
            </script></body></html>
            """;
        // Served for real by the app's site: chromium lets only a page on a loopback address load scripts from the host's.
        var path = $"/sdk-host/{companyId}";
        Site.Pages[path] = html;
        var tab = await OpenTabAsync(width, height);
        await tab.GotoAsync(AppOrigin + path);
        return tab;
    }

    private static async Task<IFrame> EmbeddedFrameAsync(LinkTab tab)
    {
        var journey = tab.Page.FrameLocator("iframe[data-consentry-link]");
        try
        {
            await Expect(journey.GetByRole(AriaRole.Button, new() { Name = "Get started" })).ToBeVisibleAsync();
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException("The SDK's journey did not show. Errors: " + string.Join(" | ", tab.Errors), e);
        }

        return tab.Page.Frames.Single(f => f.Url.Contains("/link/embed/", StringComparison.Ordinal));
    }
}

/// <summary>SQLite only: what is measured is markup and styles, the same on either database.</summary>
public sealed class AccessibilityBrowserTests_Sqlite(SqlitePortalLinkApp app, Chromium chromium, AppSite site)
    : AccessibilityBrowserTests(app, chromium, site), IClassFixture<SqlitePortalLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;
