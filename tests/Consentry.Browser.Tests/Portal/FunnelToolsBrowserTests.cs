using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Consentry.Core.Connections;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Core.Tenancy;
using Consentry.Features.Monitoring.Experiments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Portal;

/// <summary>
/// The funnel tools as a newcomer uses them: an experiment started from the portal's form, its result read there after
/// customers went through both variants, the go-live checklist and platform health; each page saved to docs/images for
/// docs/link.md.
/// </summary>
public abstract class FunnelToolsBrowserTests(PortalLinkApp app, Chromium chromium, AppSite site) : LinkBrowserTest(app, chromium, site)
{
    [Fact]
    public async Task Experiment_StartedInThePortal_ShowsItsResultPerVariant_AndTheFunnelPagesAreSavedForTheDocs()
    {
        await StopRunningExperimentsAsync();
        var tab = await OpenTabAsync(1280, 1000);
        await tab.GotoAsync("/portal/monitor/experiments");
        await SignInAsync(tab);

        await tab.Page.GetByLabel("Name").FillAsync("Value exchange first");
        await tab.Page.GetByLabel("Landing subtitle").FillAsync("A decision in minutes, a better rate.");
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Start" }), u => u.Contains("/portal/monitor/experiments", StringComparison.Ordinal));
        var experiment = await App.WithDbAsync(db => db.Experiments.IgnoreQueryFilters().Where(x => x.Name == "Value exchange first").SingleAsync());

        // Customers of each variant (chosen by the same stable hash the Link pages use): control 1 of 4 complete, B 2 of 3.
        var control = Companies(experiment, "control", 4);
        var b = Companies(experiment, "b", 3);
        await RecordAsync(control[0], Complete);
        await RecordAsync(b[0], Complete);
        await RecordAsync(b[1], Complete);
        foreach (var company in control[1..].Append(b[2]))
        {
            await RecordAsync(company, [(JourneyStep.Opened, null), (JourneyStep.ConsentViewed, null), (JourneyStep.IntegrationSelected, "sbac"),
                (JourneyStep.OAuthStarted, "sbac"), (JourneyStep.Failed, "sbac")]);
        }

        await tab.GotoAsync("/portal/monitor/experiments");
        var section = tab.Page.Locator($"section[data-experiment='{experiment.Id}']");
        await Expect(section.Locator("tr[data-variant='control'] td").Nth(2)).ToHaveTextAsync("4");
        await Expect(section.Locator("tr[data-variant='control'] td").Nth(3)).ToHaveTextAsync("1");
        await Expect(section.Locator("tr[data-variant='b'] td").Nth(2)).ToHaveTextAsync("3");
        await Expect(section.Locator("tr[data-variant='b'] td").Nth(3)).ToHaveTextAsync("2");
        await Expect(section.Locator("tr[data-variant='b'] td").Nth(5)).ToContainTextAsync("+41.7 points");
        await ShootAsync(tab, "portal-experiments");

        await tab.GotoAsync("/portal/monitor/golive");
        await Expect(tab.Page.Locator("li[data-item]").First).ToBeVisibleAsync();
        await ShootAsync(tab, "portal-golive");

        await tab.GotoAsync("/portal/monitor/health");
        await Expect(tab.Page.Locator("tr[data-platform='sbac']")).ToBeVisibleAsync();
        await ShootAsync(tab, "portal-health");
        Assert.Empty(tab.Errors);

        await Api.PostJsonAsync($"/experiments/{experiment.Id}/stop", new { }).ExpectAsync(HttpStatusCode.OK);
    }

    private static readonly (JourneyStep Step, string? Platform)[] Complete =
    [
        (JourneyStep.Opened, null), (JourneyStep.ConsentViewed, null), (JourneyStep.IntegrationSelected, "sbac"), (JourneyStep.OAuthStarted, "sbac"),
        (JourneyStep.Authorized, "sbac"), (JourneyStep.IntegrationSelected, "sbbk"), (JourneyStep.OAuthStarted, "sbbk"), (JourneyStep.Authorized, "sbbk"),
        (JourneyStep.Completed, null),
    ];

    private static List<Guid> Companies(Experiment experiment, string key, int count) =>
        [.. Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid()).Where(c => VariantAssigner.Choose(experiment.Id, experiment.Variants, c)!.Key == key).Take(count)];

    /// <summary>Assigns the company as its first Link view does, then saves each step as the pages do (the rollups follow the save).</summary>
    private async Task RecordAsync(Guid companyId, (JourneyStep Step, string? Platform)[] steps)
    {
        var clientId = await App.WithDbAsync(db => db.Clients.Where(x => x.Name == "Alpha").Select(x => x.Id).SingleAsync());
        await using (var scope = App.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ClientContext>().Set(clientId);
            await scope.ServiceProvider.GetRequiredService<LinkVariants>().ForCompanyAsync(companyId, new LinkSettings(), CancellationToken.None);
        }

        foreach (var (step, platform) in steps)
        {
            await using var scope = App.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ClientContext>().Set(clientId);
            var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
            db.JourneyEvents.Add(new JourneyEvent
            {
                Id = Guid.CreateVersion7(), CompanyId = companyId, Step = step, PlatformKey = platform, At = DateTime.UtcNow,
                SourceType = platform switch { "sbac" => SourceType.Accounting, "sbbk" => SourceType.Banking, _ => null },
                ConnectionId = platform is null ? null : Guid.NewGuid(), Detail = step == JourneyStep.Failed ? "token_exchange_failed" : null,
            });
            await db.SaveChangesAsync(); // the rollups follow the save
        }
    }

    private async Task StopRunningExperimentsAsync()
    {
        var list = await Api.GetAsync("/experiments").ExpectAsync(HttpStatusCode.OK);
        foreach (var running in list["results"]!.AsArray().Where(x => x!["status"]!.GetValue<string>() == "Running"))
        {
            await Api.PostJsonAsync($"/experiments/{running!["id"]!.GetValue<string>()}/stop", new { }).ExpectAsync(HttpStatusCode.OK);
        }
    }

    private static async Task SignInAsync(LinkTab tab)
    {
        await tab.Page.GetByLabel("Email").FillAsync(PortalLinkApp.AdminEmail);
        await tab.Page.GetByLabel("Password").FillAsync(PortalLinkApp.AdminPassword);
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }), u => !u.Contains("/signin", StringComparison.Ordinal));
    }

    private static async Task ShootAsync(LinkTab tab, string name)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Consentry.slnx")))
        {
            root = root.Parent ?? throw new InvalidOperationException("The repository root (Consentry.slnx) was not found.");
        }

        await tab.Page.ScreenshotAsync(new() { Path = Path.Combine(root.FullName, "docs", "images", $"{name}.png"), FullPage = true });
    }
}

/// <summary>SQLite only: the pages read the same rollups on either database (their figures are tested on both in the API tests).</summary>
public sealed class FunnelToolsBrowserTests_Sqlite(SqlitePortalLinkApp app, Chromium chromium, AppSite site)
    : FunnelToolsBrowserTests(app, chromium, site), IClassFixture<SqlitePortalLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;
