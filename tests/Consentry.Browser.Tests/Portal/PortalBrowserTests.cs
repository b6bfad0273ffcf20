using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Consentry.Core.Connections;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Core.Tenancy;
using Consentry.Features.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Portal;

/// <summary>The Link host on Kestrel with a portal admin (an operator in Alpha, the oldest client).</summary>
public class PortalLinkApp(DatabaseProvider provider) : LinkApp(provider)
{
    public const string AdminEmail = "admin@alpha.test";
    public const string AdminPassword = "correct-horse-battery";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Consentry:Portal:AdminEmail"] = AdminEmail,
        ["Consentry:Portal:AdminPassword"] = AdminPassword,
    };
}

public sealed class SqlitePortalLinkApp() : PortalLinkApp(DatabaseProvider.Sqlite);

public sealed class PostgresPortalLinkApp() : PortalLinkApp(DatabaseProvider.Postgres);

/// <summary>
/// The portal in chromium: signing in, changing a Link setting and seeing the Link page change; the auth-flow overview
/// after real sandbox journeys (its funnel and chart drawn by chart.js from /portal/lib), saved as the README's screenshot.
/// </summary>
public abstract class PortalBrowserTests(PortalLinkApp app, Chromium chromium, AppSite site) : LinkBrowserTest(app, chromium, site)
{
    [Fact]
    public async Task SignIn_ChangeTheLandingTitle_TheLinkPageShowsIt()
    {
        var tab = await OpenTabAsync(1280, 900);
        await tab.GotoAsync("/portal/settings/link");
        Assert.Contains("/portal/signin", tab.Page.Url, StringComparison.Ordinal);
        await SignInAsync(tab);
        Assert.Contains("/portal/settings/link", tab.Page.Url, StringComparison.Ordinal);

        await tab.Page.GetByLabel("Landing title").FillAsync("Connect your books to CoPay");
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }), u => u.EndsWith("/portal/settings/link", StringComparison.Ordinal));
        await Expect(tab.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Link settings saved.");

        var companyId = await Api.CreateCompanyAsync("Portal Settings Ltd");
        var customer = await OpenTabAsync();
        await customer.GotoAsync($"/link/company/{companyId}");
        await Expect(customer.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Connect your books to CoPay");
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Overview_AfterSandboxJourneys_DrawsTheFunnelAndTheWeeklyLine_AndIsSavedForTheReadme()
    {
        await UseRedirectAsync("/back?status={statusCode}");
        await SeedEarlierWeeksAsync();

        // Two real journeys today: one authorizes, one is cancelled at the platform's consent page.
        var customer = await OpenTabAsync();
        var (_, _, good) = await NewConnectionAsync("sbac");
        await customer.GotoAsync(good);
        await ContinueToPlatformAsync(customer, "Consentry Sandbox Accounting");
        await SignInAsync(customer, "user_good", "pass_good");
        await AllowAsync(customer, IsApp);
        var denied = await OpenTabAsync();
        var (_, _, deny) = await NewConnectionAsync("sbbk");
        await denied.GotoAsync(deny);
        await ContinueToPlatformAsync(denied, "Consentry Sandbox Bank");
        await SignInAsync(denied, "user_deny", "pass_good");
        await AllowAsync(denied, IsApp);

        var tab = await OpenTabAsync(1280, 1000);
        await tab.GotoAsync("/portal");
        await SignInAsync(tab);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await tab.GotoAsync($"/portal/monitor/authflow?from={AuthFlowQuery.WeekStart(today).AddDays(-28):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        await tab.Page.WaitForSelectorAsync("body[data-charts-ready='true']");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Auth flow overview" })).ToBeVisibleAsync();
        await Expect(tab.Page.Locator("#started")).ToHaveTextAsync("14");   // 12 seeded + 2 today
        await Expect(tab.Page.Locator("#completed")).ToHaveTextAsync("7");  // 6 seeded + the authorized one (accounting-only journeys)
        await Expect(tab.Page.GetByRole(AriaRole.Cell, new() { Name = "cancelled", Exact = true })).ToBeVisibleAsync();
        await Expect(tab.Page.Locator("#completion-rate")).ToHaveTextAsync("50 %");
        // Steps by their human names, with the share of started; every company here went at least as far as the platform.
        var steps = await tab.Page.Locator("#steps tbody tr").AllInnerTextsAsync();
        Assert.Equal(
            ["Opened Link\t14\t100 %\t0", "Read the consent\t14\t100 %\t0", "Chose a platform\t14\t100 %\t0",
                "Went to sign in at the platform\t14\t100 %\t0", "Authorized access\t7\t50 %\t7"],
            steps);
        await tab.Page.GetByText("Weekly completion rate as a table").ClickAsync();
        var weeks = tab.Page.GetByRole(AriaRole.Table, new() { Name = "Weekly completion rate" }).Locator("tbody tr");
        await Expect(weeks).ToHaveCountAsync(4); // from the first week with a completion, three weeks ago
        await Expect(weeks.First).ToContainTextAsync("33.3 %");
        Assert.Contains(tab.Requests, r => r.EndsWith("/portal/lib/chart.umd.min.js", StringComparison.Ordinal));
        Assert.DoesNotContain(tab.Requests, r => !r.StartsWith(App.BaseUrl, StringComparison.Ordinal));
        Assert.True(await tab.Page.EvaluateAsync<bool>("() => Chart.getChart('weekly-chart').data.labels.length >= 4"));
        Assert.True(await tab.Page.EvaluateAsync<bool>("() => Chart.getChart('weekly-chart').config.plugins.some(p => p.id === 'valueLabels')"));
        Assert.Empty(tab.Errors);

        await tab.Page.ScreenshotAsync(new() { Path = Path.Combine(RepositoryRoot(), "docs", "portal-overview.png"), FullPage = false });
    }

    [Fact]
    public async Task LinkSettings_ShowTheDefaultWording_AndPreviewTheTextsAsTheyAreTyped()
    {
        await Api.PutJsonAsync("/settings/link", new LinkSettings()).ExpectAsync(HttpStatusCode.OK);
        var tab = await OpenTabAsync(1280, 900);
        await tab.GotoAsync("/portal/settings/link");
        await SignInAsync(tab);

        var title = tab.Page.GetByLabel("Landing title");
        var preview = tab.Page.Locator("#preview-landing-title");
        await Expect(title).ToHaveValueAsync("");
        var wording = await title.GetAttributeAsync("placeholder");
        await Expect(preview).ToHaveTextAsync(wording!);
        await Expect(tab.Page.Locator("#preview-purpose")).ToHaveTextAsync(
            (await tab.Page.GetByLabel("Consent: purpose").GetAttributeAsync("placeholder"))!);

        await title.FillAsync("Connect your books to CoPay");
        await Expect(preview).ToHaveTextAsync("Connect your books to CoPay");
        await title.FillAsync("");
        await Expect(preview).ToHaveTextAsync(wording!);

        // The wording shown is the one customers get while the text stays empty.
        var companyId = await Api.CreateCompanyAsync("Default Wording Ltd");
        var customer = await OpenTabAsync();
        await customer.GotoAsync($"/link/company/{companyId}");
        await Expect(customer.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(wording!);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Portal_OnAPhone_FitsTheScreenOnEveryMainPage_WithTheNavigationBehindAMenu()
    {
        var (companyId, _, _) = await NewConnectionAsync("sbac");
        var tab = await OpenTabAsync(390, 844);
        await tab.GotoAsync("/portal");
        await SignInAsync(tab);
        string[] pages =
        [
            "/portal/companies", $"/portal/companies/{companyId}", "/portal/monitor/authflow", "/portal/monitor/webhooks",
            "/portal/settings/link", "/portal/settings/branding", "/portal/settings/redirects", "/portal/settings/integrations",
            "/portal/settings/apikeys", "/portal/settings/webhooks", "/portal/operator/clients", "/portal/operator/keys",
        ];
        foreach (var page in pages)
        {
            await tab.GotoAsync(page);
            var widths = await tab.Page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
            Assert.True(widths[0] <= widths[1], $"{page} is {widths[0]} px wide on a {widths[1]} px screen.");
        }

        var companies = tab.Page.GetByRole(AriaRole.Navigation, new() { Name = "Portal" }).GetByRole(AriaRole.Link, new() { Name = "Companies" });
        await Expect(companies).ToBeHiddenAsync();
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await Expect(companies).ToBeVisibleAsync();
        await tab.ClickAndWaitAsync(companies, u => u.EndsWith("/portal/companies", StringComparison.Ordinal));
        Assert.Empty(tab.Errors);
    }

    private static async Task SignInAsync(LinkTab tab)
    {
        await tab.Page.GetByLabel("Email").FillAsync(PortalLinkApp.AdminEmail);
        await tab.Page.GetByLabel("Password").FillAsync(PortalLinkApp.AdminPassword);
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }), u => !u.Contains("/signin", StringComparison.Ordinal));
    }

    /// <summary>
    /// Alpha's journeys of the four weeks before this one, through the rollups (as the Link pages record them), with
    /// accounting as the only required category so that one authorization completes a journey: per week, 3 started and
    /// 0, 1, 2, 3 completed.
    /// </summary>
    private async Task SeedEarlierWeeksAsync()
    {
        await Api.PutJsonAsync("/settings/link", new LinkSettings { Categories = { Banking = { Optional = true }, Commerce = { Optional = true } } })
            .ExpectAsync(HttpStatusCode.OK);
        var clientId = await App.WithDbAsync(db => db.Clients.Where(c => c.Name == "Alpha").Select(c => c.Id).SingleAsync());
        var monday = AuthFlowQuery.WeekStart(DateOnly.FromDateTime(DateTime.UtcNow));
        for (var week = 1; week <= 4; week++)
        {
            for (var company = 0; company < 3; company++)
            {
                var at = monday.AddDays(-7 * week + company).ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc);
                var companyId = Guid.NewGuid();
                var steps = new List<(JourneyStep, string?)> { (JourneyStep.Opened, null), (JourneyStep.ConsentViewed, null), (JourneyStep.IntegrationSelected, null), (JourneyStep.OAuthStarted, null) };
                steps.Add(company < 4 - week ? (JourneyStep.Authorized, null) : (JourneyStep.Failed, company % 2 == 0 ? "cancelled" : "token_exchange_failed"));
                foreach (var (step, detail) in steps)
                {
                    await using var scope = App.Services.CreateAsyncScope();
                    scope.ServiceProvider.GetRequiredService<ClientContext>().Set(clientId);
                    scope.ServiceProvider.GetRequiredService<ConsentryDbContext>().JourneyEvents.Add(new JourneyEvent
                    {
                        Id = Guid.CreateVersion7(), CompanyId = companyId, ConnectionId = Guid.NewGuid(), Step = step, Detail = detail, At = at,
                        SourceType = SourceType.Accounting, PlatformKey = "sbac",
                    });
                    await scope.ServiceProvider.GetRequiredService<Consentry.Core.Persistence.ConsentryDbContext>().SaveChangesAsync(CancellationToken.None); // the rollups follow the save
                    at = at.AddMinutes(2);
                }
            }
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Consentry.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Consentry.slnx not found above the test's folder.");
    }
}

public sealed class PortalBrowserTests_Sqlite(SqlitePortalLinkApp app, Chromium chromium, AppSite site)
    : PortalBrowserTests(app, chromium, site), IClassFixture<SqlitePortalLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;
