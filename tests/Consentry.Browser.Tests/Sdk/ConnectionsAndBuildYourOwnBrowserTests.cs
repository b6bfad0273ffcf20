using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Sdk;

/// <summary>
/// The example app's other screens: the Connections component (list, disconnect with the impact shown, reconnect in a
/// popup) and the build-your-own journey through the Platform API (integrations with branding, linkUrl, redirect back,
/// data status and synced data, or "not available yet" where this Consentry has no data API).
/// </summary>
public abstract class ConnectionsAndBuildYourOwnBrowserTests(LinkApp app, Chromium chromium, AppSite site) : SdkBrowserTest(app, chromium, site)
{
    [Fact]
    public async Task BuildYourOwn_ChoosePlatformSignInAndReturn_WaitsForTheFirstReadAndShowsTheSyncedData()
    {
        var tab = await OpenTabAsync(1100, 900);
        var (applicant, companyId) = await ApplyAsync(tab);
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Choose a platform (build-your-own)" }), u => u.EndsWith($"/byo/{applicant}", StringComparison.Ordinal));

        // CoPay's own buttons, with the logos from the branding endpoint.
        var sandbox = tab.Page.GetByRole(AriaRole.List, new() { Name = "Accounting platforms" }).GetByRole(AriaRole.Button, new() { Name = "Consentry Sandbox Accounting" });
        await Expect(sandbox.Locator("img")).ToHaveAttributeAsync("src", $"{App.BaseUrl}/branding/sbac/logo-square.svg");

        await tab.ClickAndWaitAsync(sandbox, u => u.Contains($"/link/companies/{companyId}/connections/", StringComparison.Ordinal));
        await ContinueToPlatformAsync(tab, "Consentry Sandbox Accounting");
        await SignInAsync(tab, "user_good", "pass_good");
        await AllowAsync(tab, u => u.StartsWith($"{Copay.Origin}/byo/{applicant}/data", StringComparison.Ordinal));

        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Connected");
        await Expect(tab.Page.Locator("#connected")).ToHaveTextAsync("Consentry Sandbox Accounting is Linked");
        // The page refreshes itself until the first read is done, then lists what was synced.
        await Expect(tab.Page.GetByRole(AriaRole.List, new() { Name = "Invoices" }).GetByRole(AriaRole.Listitem).First).ToBeVisibleAsync();
        await Expect(tab.Page.Locator("#data-status")).ToContainTextAsync("invoices");
        await Expect(tab.Page.GetByRole(AriaRole.List, new() { Name = "Accounts" }).GetByRole(AriaRole.Listitem).First).ToBeVisibleAsync();
        var connection = Assert.Single((await Api.GetAsync($"/companies/{companyId}/connections").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray())!;
        Assert.Equal("Linked", connection["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Connections_DisconnectShowsTheImpact_ReconnectAndAddSignInInThePopup()
    {
        var tab = await OpenTabAsync(1100, 900);
        var (applicant, companyId) = await ApplyAsync(tab);
        var connectionId = await LinkThroughTheApiAsync(companyId);
        await tab.GotoAsync($"{Copay.Origin}/manage/{applicant}");

        var item = tab.Page.GetByRole(AriaRole.Listitem, new() { Name = "Consentry Sandbox Accounting" });
        await Expect(item).ToContainTextAsync("Accounting · Connected");
        await item.GetByRole(AriaRole.Button, new() { Name = "Disconnect" }).ClickAsync();
        await Expect(item).ToContainTextAsync("stops all further syncs");
        await Expect(item).ToContainTextAsync("Invoices");
        Assert.Equal("Linked", await ApiStatusAsync(companyId, connectionId)); // nothing happens before the confirmation

        await item.GetByRole(AriaRole.Button, new() { Name = "Disconnect Consentry Sandbox Accounting" }).ClickAsync();
        await Expect(item).ToContainTextAsync("Accounting · Disconnected");
        await Expect(tab.Page.Locator("#events li[data-event=disconnect]")).ToHaveTextAsync("disconnect sbac");
        Assert.Equal("Unlinked", await ApiStatusAsync(companyId, connectionId));

        var popup = await tab.Context.RunAndWaitForPageAsync(() => item.GetByRole(AriaRole.Button, new() { Name = "Reconnect" }).ClickAsync());
        await SignInInPopupAsync(popup, "Consentry Sandbox Accounting");

        await Expect(item).ToContainTextAsync("Accounting · Connected");
        await Expect(tab.Page.Locator("#events li[data-event=connection]")).ToHaveTextAsync("connection sbac");
        Assert.Equal("Linked", await ApiStatusAsync(companyId, connectionId));

        // Add another: the bank, signed in to in a popup too.
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Add a connection" }).ClickAsync();
        var bankPopup = await tab.Context.RunAndWaitForPageAsync(() =>
            tab.Page.GetByRole(AriaRole.Button, new() { Name = "Connect Consentry Sandbox Bank" }).ClickAsync());
        await SignInInPopupAsync(bankPopup, "Consentry Sandbox Bank");
        await Expect(tab.Page.GetByRole(AriaRole.Listitem, new() { Name = "Consentry Sandbox Bank" })).ToContainTextAsync("Banking · Connected");
        var connections = (await Api.GetAsync($"/companies/{companyId}/connections").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray();
        Assert.Equal(["Linked", "Linked"], connections.Select(c => c!["status"]!.GetValue<string>()));
    }

    /// <summary>Links an sbac connection the way a build-your-own app would, with the cookie-keeping HTTP browser.</summary>
    private async Task<string> LinkThroughTheApiAsync(string companyId)
    {
        var connectionId = await Api.CreateConnectionAsync(companyId, "sbac");
        using var browser = App.Browser();
        await browser.GoAsync($"/link/companies/{companyId}/connections/{connectionId}/start");
        await browser.SubmitAsync("handler=Continue");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_good", ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");
        Assert.Equal("Linked", await ApiStatusAsync(companyId, connectionId));
        return connectionId;
    }
}

public sealed class ConnectionsAndBuildYourOwnBrowserTests_Sqlite(SqliteLinkApp app, Chromium chromium, AppSite site)
    : ConnectionsAndBuildYourOwnBrowserTests(app, chromium, site), IClassFixture<SqliteLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;

public sealed class ConnectionsAndBuildYourOwnBrowserTests_Postgres(PostgresLinkApp app, Chromium chromium, AppSite site)
    : ConnectionsAndBuildYourOwnBrowserTests(app, chromium, site), IClassFixture<PostgresLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;
