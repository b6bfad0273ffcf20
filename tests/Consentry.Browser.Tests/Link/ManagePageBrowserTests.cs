using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Link;

/// <summary>
/// The hosted "manage my connections" page (<c>/link/company/{companyId}/manage</c>, the SDK's Connections component)
/// in chromium with an en-GB locale: the app's name, data types in words, dates with month names, and a disconnect
/// confirmation whose safe choice is the primary button.
/// </summary>
public abstract class ManagePageBrowserTests(LinkApp app, Chromium chromium, AppSite site) : LinkBrowserTest(app, chromium, site)
{
    [Fact]
    public async Task Disconnect_KeepConnectedIsPrimary_DisconnectIsDanger_AndTheTextNamesTheAppDataAndDates()
    {
        await Api.PutJsonAsync("/settings/link", new { companyName = "CoPay Lending", categories = new { accounting = new { }, banking = new { }, commerce = new { } }, texts = new { } })
            .ExpectAsync(HttpStatusCode.OK);
        var companyId = await Api.CreateCompanyAsync("Managed Ltd");
        var connectionId = await Api.CreateConnectionAsync(companyId, "sbbk");
        using (var browser = App.Browser())
        {
            await browser.GoAsync($"/link/companies/{companyId}/connections/{connectionId}/start");
            await browser.SubmitAsync("handler=Continue");
            await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_good", ["password"] = "pass_good" });
            await browser.SubmitAsync("/oauth/consent/accept");
        }

        Assert.Equal("Linked", await ApiStatusAsync(companyId, connectionId));
        var token = (await Api.GetAsync($"/companies/{companyId}/accessToken").ExpectAsync(HttpStatusCode.OK))["accessToken"]!.GetValue<string>();
        var tab = await OpenTabAsync(390, 844);
        await tab.GotoAsync($"/link/company/{companyId}/manage#accessToken={Uri.EscapeDataString(token)}");
        var item = tab.Page.Locator("[data-consentry-connections]").GetByRole(AriaRole.Listitem, new() { Name = "Consentry Sandbox Bank" });

        await Expect(item).ToContainTextAsync("Banking · Connected");
        await Expect(item).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Your consent at Consentry Sandbox Bank ends on \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec) \d{4}\."));
        await Expect(item).ToContainTextAsync("Shared with CoPay Lending: ");
        await item.GetByRole(AriaRole.Button, new() { Name = "Disconnect" }).ClickAsync();

        await Expect(item).ToContainTextAsync("CoPay Lending will stop receiving new data from Consentry Sandbox Bank: Bank ");
        await Expect(item).Not.ToContainTextAsync("banking-");
        await Expect(item).Not.ToContainTextAsync("the app", new() { IgnoreCase = true });
        var buttons = item.GetByRole(AriaRole.Button);
        await Expect(buttons.Last).ToHaveTextAsync("Disconnect Consentry Sandbox Bank");
        await Expect(buttons.Nth(await buttons.CountAsync() - 2)).ToHaveTextAsync("Keep connected");
        await Expect(item.GetByRole(AriaRole.Button, new() { Name = "Keep connected" })).ToHaveClassAsync("primary");
        await Expect(item.GetByRole(AriaRole.Button, new() { Name = "Disconnect Consentry Sandbox Bank" })).ToHaveClassAsync("danger");
        await Expect(item.GetByRole(AriaRole.Button, new() { Name = "Disconnect Consentry Sandbox Bank" })).ToHaveCSSAsync("background-color", "rgb(185, 28, 28)");
        await tab.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"consentry-manage-disconnect-{App.Provider}-390x844.png"), FullPage = true });

        await item.GetByRole(AriaRole.Button, new() { Name = "Keep connected" }).ClickAsync();
        await Expect(item.GetByRole(AriaRole.Button, new() { Name = "Disconnect", Exact = true })).ToBeVisibleAsync();
        Assert.Equal("Linked", await ApiStatusAsync(companyId, connectionId));
    }
}

/// <summary>SQLite only: what is checked is the component's rendering, the same on either database.</summary>
public sealed class ManagePageBrowserTests_Sqlite(SqliteLinkApp app, Chromium chromium, AppSite site)
    : ManagePageBrowserTests(app, chromium, site), IClassFixture<SqliteLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;
