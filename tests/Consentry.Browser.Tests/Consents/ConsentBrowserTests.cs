using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Consents;

/// <summary>
/// The consent lifecycle in a real browser: the consent text on the screen is the text the ledger records; the company
/// Link asks for additional consent for a new product without a new sign-in; the hosted manage page shows what
/// stopping a product's sharing affects before doing it, and does it as the customer.
/// </summary>
public abstract class ConsentBrowserTests(LinkApp app, Chromium chromium, AppSite site) : LinkBrowserTest(app, chromium, site)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    private string Lending => $"lending-{_suffix}";

    private string Spend => $"spend-{_suffix}";

    private async Task<string> CompanyWithProductsAsync(params string[] products)
    {
        await Api.PutJsonAsync($"/products/{Lending}", new { name = "Lending", dataTypes = new[] { "customers", "invoices" } }).ExpectAsync(HttpStatusCode.OK);
        await Api.PutJsonAsync($"/products/{Spend}", new { name = "Spend insights", dataTypes = new[] { "invoices", "chartOfAccounts" } }).ExpectAsync(HttpStatusCode.OK);
        var companyId = await Api.CreateCompanyAsync("Consent Browser Ltd");
        foreach (var product in products)
        {
            (await Api.PutAsync($"/companies/{companyId}/products/{product}", null)).EnsureSuccessStatusCode();
        }

        return companyId;
    }

    private async Task<JsonArray> LedgerAsync(string companyId) =>
        (await Api.GetAsync($"/companies/{companyId}/consents").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray();

    /// <summary>Links sbac through its linkUrl in the tab; answers the consent text as the browser rendered it.</summary>
    private async Task<(string ConnectionId, string Shown)> LinkAsync(LinkTab tab, string companyId)
    {
        var connection = await Api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);
        await tab.GotoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        var shown = await tab.Page.Locator("#consent-text").TextContentAsync() ?? "";
        await ContinueToPlatformAsync(tab, "Consentry Sandbox Accounting");
        await SignInAsync(tab, "user_good", "pass_good");
        await AllowAsync(tab, u => u.Contains("/link/done", StringComparison.Ordinal));
        return (connection["id"]!.GetValue<string>(), shown);
    }

    [Fact]
    public async Task ConsentTextOnTheScreen_IsTheTextTheLedgerRecords()
    {
        var companyId = await CompanyWithProductsAsync(Lending);
        var tab = await OpenTabAsync();
        var (_, shown) = await LinkAsync(tab, companyId);

        Assert.Contains("Lending: Customers, Invoices", shown, StringComparison.Ordinal);
        var record = Assert.Single(await LedgerAsync(companyId))!;
        Assert.Equal(shown, record["text"]!.GetValue<string>());
        Assert.Contains("HeadlessChrome", record["userAgent"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdditionalConsent_IsAskedOnTheCompanyLink_AndNeedsNoNewSignIn()
    {
        var companyId = await CompanyWithProductsAsync(Lending);
        var tab = await OpenTabAsync();
        await LinkAsync(tab, companyId);
        (await Api.PutAsync($"/companies/{companyId}/products/{Spend}", null)).EnsureSuccessStatusCode();

        var signInsBefore = tab.Navigations.Count(u => u.Contains("/oauth/authorize", StringComparison.Ordinal));
        await tab.GotoAsync($"/link/company/{companyId}?step=connect");
        await Expect(tab.Page.GetByText("Confirm you are happy to share additional data")).ToBeVisibleAsync();
        var shown = await tab.Page.Locator("#consent-text").TextContentAsync() ?? "";
        Assert.Contains("Spend insights: Invoices, Chart of accounts", shown, StringComparison.Ordinal);
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Confirm and share" }), u => u.Contains("result=200", StringComparison.Ordinal));

        await Expect(tab.Page.GetByText("Consentry Sandbox Accounting connected")).ToBeVisibleAsync();
        var granted = (await LedgerAsync(companyId)).Last()!;
        Assert.Equal(("Granted", Spend, shown), (granted["action"]!.GetValue<string>(), granted["productIdentifier"]!.GetValue<string>(), granted["text"]!.GetValue<string>()));
        Assert.Equal(signInsBefore, tab.Navigations.Count(u => u.Contains("/oauth/authorize", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ManagePage_ShowsTheImpactFirst_ThenStopsSharingForOneProductAsTheCustomer()
    {
        var companyId = await CompanyWithProductsAsync(Lending, Spend);
        var tab = await OpenTabAsync(800, 900);
        var (connectionId, _) = await LinkAsync(tab, companyId);
        var token = (await Api.GetAsync($"/companies/{companyId}/accessToken").ExpectAsync(HttpStatusCode.OK))["accessToken"]!.GetValue<string>();

        await tab.GotoAsync($"/link/company/{companyId}/manage#accessToken={Uri.EscapeDataString(token)}");
        var connection = tab.Page.Locator("[data-consentry-connections]").GetByRole(AriaRole.Listitem, new() { Name = "Consentry Sandbox Accounting" });
        await Expect(connection).ToContainTextAsync($"{Spend}: Invoices, Chart of accounts");
        Assert.DoesNotContain("accessToken", tab.Page.Url, StringComparison.Ordinal);

        await connection.GetByRole(AriaRole.Button, new() { Name = $"Stop sharing for {Spend}" }).ClickAsync();
        await Expect(connection).ToContainTextAsync("Consentry Sandbox Accounting stops sharing Chart of accounts.");
        Assert.Equal("Granted", (await LedgerAsync(companyId)).Last()!["action"]!.GetValue<string>()); // nothing changed yet
        await connection.GetByRole(AriaRole.Button, new() { Name = $"Stop sharing for {Spend}" }).Last.ClickAsync();

        await Expect(tab.Page.Locator("[data-consentry-connections]").GetByRole(AriaRole.Status)).ToContainTextAsync($"You no longer share Consentry Sandbox Accounting data for {Spend}.");
        await Expect(connection).Not.ToContainTextAsync($"{Spend}: Invoices");
        var revoked = (await LedgerAsync(companyId)).Last()!;
        Assert.Equal(("Revoked", Spend, "Customer", connectionId), (revoked["action"]!.GetValue<string>(), revoked["productIdentifier"]!.GetValue<string>(),
            revoked["actor"]!.GetValue<string>(), revoked["connectionId"]!.GetValue<string>()));
        await tab.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"consentry-manage-{App.Provider}.png"), FullPage = true });
    }
}

public sealed class ConsentBrowserTests_Sqlite(SqliteLinkApp app, Chromium chromium, AppSite site)
    : ConsentBrowserTests(app, chromium, site), IClassFixture<SqliteLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;

public sealed class ConsentBrowserTests_Postgres(PostgresLinkApp app, Chromium chromium, AppSite site)
    : ConsentBrowserTests(app, chromium, site), IClassFixture<PostgresLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;
