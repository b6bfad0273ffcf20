using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Platforms.Plaid;
using Consentry.Browser.Tests.Infrastructure;
using Consentry.Browser.Tests.Sdk;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Platforms;

/// <summary>
/// Plaid's Hosted Link (the non-redirect hand-off) from the Link SDK embedded in the example app: on a desktop in the
/// SDK's popup, and on a 390×844 phone (popup blocked) in the whole page and back. The customer chooses the bank, signs
/// in as user_good and keeps the accounts on the simulator's Hosted Link pages; the connection ends Linked.
/// </summary>
public sealed class PlaidHostedLinkSdkBrowserTests(SqlitePlaidApp app, Chromium chromium, AppSite site)
    : SdkBrowserTest(app, chromium, site), IClassFixture<SqlitePlaidApp>, IClassFixture<Chromium>, IClassFixture<AppSite>
{
    [Fact]
    public async Task Desktop_HostedLinkInTheSdksPopup_LinksThePlaidConnection()
    {
        var tab = await OpenTabAsync(1100, 900);
        var (applicant, companyId) = await ApplyAsync(tab);
        await tab.GotoAsync($"{Copay.Origin}/sdk/{applicant}");
        var journey = await ChoosePlaidAsync(tab);

        var popup = await tab.Context.RunAndWaitForPageAsync(() => journey.GetByRole(AriaRole.Button, new() { Name = "Continue to Plaid" }).ClickAsync());
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        popup.Close += (_, _) => closed.TrySetResult();
        await HostedLinkAsync(popup, "user_good+" + Guid.NewGuid().ToString("N")[..12]);
        await closed.Task.WaitAsync(LinkTab.Timeout);

        await Expect(Event(tab, "connection")).ToHaveCountAsync(1);
        await Expect(journey.GetByText("Plaid connected.")).ToBeVisibleAsync();
        Assert.Equal("Linked", await PlaidStatusAsync(companyId));
    }

    [Fact]
    public async Task Phone390x844_PopupBlocked_HostedLinkInTheWholePage_AndBack()
    {
        var tab = await OpenTabAsync(390, 844);
        await tab.Context.AddInitScriptAsync("window.open = () => null;"); // a phone browser that will not open the popup
        var (applicant, companyId) = await ApplyAsync(tab);
        await tab.GotoAsync($"{Copay.Origin}/sdk/{applicant}");
        var journey = await ChoosePlaidAsync(tab);

        await tab.ClickAndWaitAsync(journey.GetByRole(AriaRole.Button, new() { Name = "Continue to Plaid" }), u => u.Contains("/simulators/plaid/hl/", StringComparison.Ordinal));
        Assert.True(await tab.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 391, "Hosted Link scrolls sideways on the phone");
        await HostedLinkAsync(tab.Page, "user_good+" + Guid.NewGuid().ToString("N")[..12]);

        await Expect(Event(tab, "connection")).ToHaveCountAsync(1);
        await Expect(Journey(tab).GetByText("Plaid connected.")).ToBeVisibleAsync();
        Assert.StartsWith($"{Copay.Origin}/sdk/{applicant}", tab.Page.Url, StringComparison.Ordinal);
        Assert.Equal("Linked", await PlaidStatusAsync(companyId));
    }

    private static async Task<IFrameLocator> ChoosePlaidAsync(LinkTab tab)
    {
        var journey = Journey(tab);
        await journey.GetByRole(AriaRole.Button, new() { Name = "Get started" }).ClickAsync();
        await journey.GetByRole(AriaRole.Button, new() { Name = "Plaid", Exact = true }).ClickAsync();
        await Expect(journey.GetByRole(AriaRole.Heading, new() { Name = "Connect Plaid" })).ToBeVisibleAsync();
        return journey;
    }

    /// <summary>The simulator's Hosted Link pages: the bank, the sign-in, the accounts (all kept).</summary>
    private static async Task HostedLinkAsync(IPage page, string user)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "First Platypus Bank" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to First Platypus Bank" })).ToBeVisibleAsync();
        await page.GetByLabel("Username").FillAsync(user);
        await page.GetByLabel("Password").FillAsync("pass_good");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(page.GetByLabel("Plaid Checking ••0000")).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
    }

    private async Task<string> PlaidStatusAsync(string companyId)
    {
        var connection = Assert.Single((await Api.GetAsync($"/companies/{companyId}/connections").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray(),
            c => c!["platformKey"]?.GetValue<string>() == "suuo" || c!["integrationKey"]?.GetValue<string>() == "suuo")!;
        return connection["status"]!.GetValue<string>();
    }
}
