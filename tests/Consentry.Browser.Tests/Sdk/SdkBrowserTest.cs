using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Sdk;

/// <summary>
/// What the SDK browser tests share: the example app (CoPay) started per test beside the host, an applicant created
/// through its pages, and the steps of the embedded journey and of a sign-in in the SDK's popup.
/// </summary>
public abstract class SdkBrowserTest(LinkApp app, Chromium chromium, AppSite site) : LinkBrowserTest(app, chromium, site), IAsyncLifetime
{
    private CopayExample? _copay;

    protected CopayExample Copay => _copay ?? throw new InvalidOperationException("The example is not started.");

    async Task IAsyncLifetime.InitializeAsync() => _copay = await CopayExample.StartAsync(App);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_copay is not null)
        {
            await _copay.DisposeAsync();
        }
    }

    /// <summary>Applies at CoPay (which creates the company) and answers the applicant id and the company id.</summary>
    protected async Task<(string Applicant, string CompanyId)> ApplyAsync(LinkTab tab, string business = "Green Grocers Ltd")
    {
        await tab.GotoAsync(Copay.Origin + "/");
        await tab.Page.GetByLabel("Business name").FillAsync(business);
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Start my application" }), u => u.Contains("/apply/", StringComparison.Ordinal));
        var applicant = tab.Page.Url.Split("/apply/")[1];
        var companies = await Api.GetAsync($"/companies?query=name={Uri.EscapeDataString("copay-" + applicant)}").ExpectAsync(System.Net.HttpStatusCode.OK);
        return (applicant, companies["results"]![0]!["id"]!.GetValue<string>());
    }

    protected static IFrameLocator Journey(LinkTab tab) => tab.Page.FrameLocator("iframe[data-consentry-link]");

    /// <summary>The callbacks CoPay's page logged, in order (each "name detail").</summary>
    protected static ILocator Events(LinkTab tab) => tab.Page.GetByRole(AriaRole.List, new() { Name = "SDK events" }).GetByRole(AriaRole.Listitem);

    protected static ILocator Event(LinkTab tab, string name) => tab.Page.Locator($"#events li[data-event=\"{name}\"]");

    /// <summary>In the SDK's popup: signs in at the sandbox with good credentials, allows access, and waits for the popup to close itself.</summary>
    protected static async Task SignInInPopupAsync(IPage popup, string platformName)
    {
        await Expect(popup.GetByRole(AriaRole.Heading, new() { Name = $"Sign in to {platformName}" })).ToBeVisibleAsync();
        await popup.GetByLabel("Username").FillAsync("user_good");
        await popup.GetByLabel("Password").FillAsync("pass_good");
        await popup.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        popup.Close += (_, _) => closed.TrySetResult();
        await popup.GetByRole(AriaRole.Button, new() { Name = "Allow access" }).ClickAsync();
        await closed.Task.WaitAsync(LinkTab.Timeout);
    }
}
