using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Platforms.Xero;
using Consentry.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Platforms;

/// <summary>
/// Xero's organisation chooser in chromium: a customer with two organisations ticks both on the (simulated) Xero consent
/// page, then picks one on Consentry's chooser with the keyboard alone; the connection links with that organisation
/// and the other is disconnected at Xero.
/// </summary>
public sealed class XeroOrganisationChooserBrowserTests(SqliteXeroApp app, Chromium chromium, AppSite site)
    : LinkBrowserTest(app, chromium, site), IClassFixture<SqliteXeroApp>, IClassFixture<Chromium>, IClassFixture<AppSite>
{
    [Fact]
    public async Task TwoOrganisations_ThePickedOneLinks_ByKeyboard_AndTheOtherIsReleased()
    {
        var user = "user_multi+" + Guid.NewGuid().ToString("N")[..12];
        await UseRedirectAsync("/done?status={statusCode}");
        var (companyId, connectionId, linkPath) = await NewConnectionAsync("gbol");
        var tab = await OpenTabAsync();
        await tab.GotoAsync(linkPath);

        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Continue to Xero" }), u => u.Contains("/connect/authorize", StringComparison.Ordinal));
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Log in to Xero" })).ToBeVisibleAsync();
        await tab.Page.GetByLabel("Email address").FillAsync(user);
        await tab.Page.GetByLabel("Password").FillAsync("pass_good");
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }), u => u.Contains("/connect/login", StringComparison.Ordinal));

        // Xero's consent page: organisation 1 is ticked; tick the second too.
        await Expect(tab.Page.GetByRole(AriaRole.Group, new() { Name = "Organisations to connect" })).ToBeVisibleAsync();
        await Expect(tab.Page.GetByLabel("Demo Company (UK)")).ToBeCheckedAsync();
        await tab.Page.GetByLabel("Demo Company (NZ) Ltd").CheckAsync();
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Allow access" }), u => u.Contains("/link/oauth/accounts/", StringComparison.Ordinal));

        // Consentry's chooser: a labelled radio group; the arrow key picks the second, Tab reaches the button, Enter submits.
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Choose your Xero organisation" })).ToBeVisibleAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Group, new() { Name = "Organisation" })).ToBeVisibleAsync();
        await AxeAssert.NoSeriousViolationsAsync(tab.Page, "organisation chooser");
        await tab.Page.GetByRole(AriaRole.Radio, new() { Name = "Demo Company (UK)" }).FocusAsync();
        await tab.Page.Keyboard.PressAsync("ArrowDown");
        await Expect(tab.Page.GetByRole(AriaRole.Radio, new() { Name = "Demo Company (NZ) Ltd" })).ToBeCheckedAsync();
        await tab.Page.Keyboard.PressAsync("Tab");
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Connect this organisation" })).ToBeFocusedAsync();
        await tab.PressAndWaitAsync("Enter", IsApp);

        Assert.Equal("200", tab.Query("status"));
        Assert.Equal("Linked", await ApiStatusAsync(companyId, connectionId));
        Assert.False((await app.OrgStatsAsync(user, 1))["connected"]!.GetValue<bool>());
        Assert.True((await app.OrgStatsAsync(user, 2))["connected"]!.GetValue<bool>());
        await app.WaitForDataStatusAsync(companyId, s => Consentry.Api.Tests.Sync.SyncApp.AllComplete(s, "company"));
        var info = await Api.GetAsync($"/companies/{companyId}/data/info").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Demo Company (NZ) Ltd", info["companyName"]!.GetValue<string>());
    }
}
