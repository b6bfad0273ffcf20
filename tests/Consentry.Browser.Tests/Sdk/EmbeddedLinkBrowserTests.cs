using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Consentry.Core.Connections;
using Consentry.Core.Link;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Sdk;

/// <summary>
/// The Link SDK embedded in the example app's page (CoPay, on its own origin): CodatLink mounts the journey in an
/// iframe, the customer signs in at the sandbox in a popup (or, popup blocked, in the whole page and back), and the
/// app's callbacks receive Codat's arguments.
/// </summary>
public abstract class EmbeddedLinkBrowserTests(LinkApp app, Chromium chromium, AppSite site) : SdkBrowserTest(app, chromium, site)
{
    [Fact]
    public async Task EmbeddedJourney_SignInInThePopup_FiresConsentConnectionAndFinishWithCodatsArguments()
    {
        var tab = await OpenTabAsync(1100, 900);
        var (applicant, companyId) = await ApplyAsync(tab);
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Connect here (embedded Link SDK)" }), u => u.EndsWith($"/sdk/{applicant}", StringComparison.Ordinal));

        // The landing page shows CoPay's Markdown texts (sanitized) and theme colour.
        var journey = Journey(tab);
        await Expect(journey.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Share your accounts with CoPay");
        await Expect(journey.GetByRole(AriaRole.Link, new() { Name = "How we use data" })).ToHaveAttributeAsync("href", "https://copay.example/privacy");
        await journey.GetByRole(AriaRole.Button, new() { Name = "Get started" }).ClickAsync();

        // sourceTypes: accounting required, banking optional; commerce not listed so not shown.
        await Expect(journey.GetByRole(AriaRole.Heading, new() { Name = "Banking (optional)" })).ToBeVisibleAsync();
        await Expect(journey.GetByRole(AriaRole.Heading, new() { Name = "Commerce" })).ToHaveCountAsync(0);
        await Expect(journey.GetByRole(AriaRole.Button, new() { Name = "Complete" })).ToBeDisabledAsync();
        await journey.GetByRole(AriaRole.Button, new() { Name = "Consentry Sandbox Accounting" }).ClickAsync();
        await Expect(journey.GetByRole(AriaRole.Heading, new() { Name = "Connect Consentry Sandbox Accounting" })).ToBeVisibleAsync();

        var popup = await tab.Context.RunAndWaitForPageAsync(() =>
            journey.GetByRole(AriaRole.Button, new() { Name = "Continue to Consentry Sandbox Accounting" }).ClickAsync());
        await SignInInPopupAsync(popup, "Consentry Sandbox Accounting");

        await Expect(Event(tab, "connection")).ToHaveCountAsync(1);
        await Expect(journey.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Consentry Sandbox Accounting connected.");
        await journey.GetByRole(AriaRole.Button, new() { Name = "Skip banking" }).ClickAsync();
        await journey.GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
        await Expect(Event(tab, "finish")).ToHaveCountAsync(1);
        await Expect(tab.Page.Locator("iframe[data-consentry-link]")).ToHaveCountAsync(0); // the app unmounted it in onFinish

        var connection = Assert.Single((await Api.GetAsync($"/companies/{companyId}/connections").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray())!;
        var connectionId = connection["id"]!.GetValue<string>();
        Assert.Equal("Linked", connection["status"]!.GetValue<string>());
        Assert.Equal(
            ["consent", "connectionStarted sbac " + connectionId, "connection sbac " + connectionId + " Accounting", "finish"],
            await Events(tab).AllTextContentsAsync());
        var steps = await App.WithDbAsync(db => db.JourneyEvents.IgnoreQueryFilters().Where(e => e.CompanyId == Guid.Parse(companyId)).Select(e => e.Step).ToListAsync());
        Assert.Contains(JourneyStep.Authorized, steps);
        Assert.Contains(JourneyStep.CategorySkipped, steps);
        Assert.Contains(JourneyStep.Completed, steps);
        Assert.DoesNotContain(tab.Errors, e => !e.Contains("favicon", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmbeddedJourney_OnAPhone390x844_FillsTheScreenAndStaysUsable()
    {
        var tab = await OpenTabAsync(390, 844);
        var (applicant, _) = await ApplyAsync(tab);
        await tab.GotoAsync($"{Copay.Origin}/sdk/{applicant}");
        var journey = Journey(tab);
        await Expect(journey.GetByRole(AriaRole.Button, new() { Name = "Get started" })).ToBeVisibleAsync();

        var frame = await tab.Page.Locator("iframe[data-consentry-link]").BoundingBoxAsync();
        Assert.True(frame!.Width >= 0.9 * 390, $"the journey is {frame.Width} px wide on a 390 px phone");
        Assert.True(frame.Height >= 0.9 * 844, $"the journey is {frame.Height} px high on an 844 px phone");
        var column = await tab.Page.Locator("#link").BoundingBoxAsync();
        Assert.True(column!.Width >= 0.9 * 390, $"CoPay's column for the journey is {column.Width} px wide on a 390 px phone");
        await tab.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"consentry-sdk-phone-{App.Provider}-390x844.png") });

        await journey.GetByRole(AriaRole.Button, new() { Name = "Get started" }).ClickAsync();
        await Expect(journey.GetByRole(AriaRole.Heading, new() { Name = "Banking (optional)" })).ToBeVisibleAsync();
        var inner = tab.Page.Frames.Single(f => f.Url.Contains("/link/embed/", StringComparison.Ordinal));
        Assert.True(await inner.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= frame.Width + 1, "the journey scrolls sideways");

        // Closed (the app unmounts it in onClose): the page behind scrolls again.
        await journey.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(tab.Page.Locator("iframe[data-consentry-link]")).ToHaveCountAsync(0);
        Assert.Equal("", await tab.Page.EvaluateAsync<string>("() => document.documentElement.style.overflow"));
    }

    [Fact]
    public async Task EmbeddedJourney_OnADesktop_StaysInTheAppsColumn()
    {
        var tab = await OpenTabAsync(1100, 900);
        var (applicant, _) = await ApplyAsync(tab);
        await tab.GotoAsync($"{Copay.Origin}/sdk/{applicant}");
        await Expect(Journey(tab).GetByRole(AriaRole.Button, new() { Name = "Get started" })).ToBeVisibleAsync();

        var frame = await tab.Page.Locator("iframe[data-consentry-link]").BoundingBoxAsync();
        var column = await tab.Page.Locator("#link").BoundingBoxAsync();
        Assert.Equal((column!.X, column.Width), (frame!.X, frame.Width));
        Assert.Equal("static", await tab.Page.Locator("iframe[data-consentry-link]").EvaluateAsync<string>("f => getComputedStyle(f).position"));
    }

    [Fact]
    public async Task EmbeddedJourney_PopupBlocked_SignsInInThePageAndResumesWithOnConnection()
    {
        var tab = await OpenTabAsync(1100, 900);
        await tab.Context.AddInitScriptAsync("window.open = () => null;"); // what a popup blocker answers, in every frame
        var (applicant, companyId) = await ApplyAsync(tab);
        await tab.GotoAsync($"{Copay.Origin}/sdk/{applicant}");
        var journey = Journey(tab);
        await journey.GetByRole(AriaRole.Button, new() { Name = "Get started" }).ClickAsync();
        await journey.GetByRole(AriaRole.Button, new() { Name = "Consentry Sandbox Accounting" }).ClickAsync();

        await tab.ClickAndWaitAsync(journey.GetByRole(AriaRole.Button, new() { Name = "Continue to Consentry Sandbox Accounting" }), IsAuthorize);
        await SignInAsync(tab, "user_good", "pass_good");
        await AllowAsync(tab, u => u.StartsWith($"{Copay.Origin}/sdk/{applicant}", StringComparison.Ordinal));

        // Back on the app's page: the SDK resumed from the result, checked it with the API, and told the app.
        await Expect(Event(tab, "connection")).ToHaveCountAsync(1);
        var connectionId = (await Api.GetAsync($"/companies/{companyId}/connections").ExpectAsync(HttpStatusCode.OK))["results"]![0]!["id"]!.GetValue<string>();
        await Expect(Event(tab, "connection")).ToHaveTextAsync($"connection sbac {connectionId} Accounting");
        await Expect(Journey(tab).GetByText("Consentry Sandbox Accounting connected.")).ToBeVisibleAsync();
        Assert.DoesNotContain("consentry-result", tab.Page.Url, StringComparison.Ordinal);
        Assert.Equal(ConnectionStatus.Linked, await StatusAsync(connectionId));
    }

    [Fact]
    public async Task EmbeddedJourney_UploadAStatementInsteadOfABank_CountsForBanking()
    {
        await Api.PutJsonAsync("/settings/link", new LinkSettings { Categories = { Banking = { FileUpload = true } } }).ExpectAsync(HttpStatusCode.OK);
        var tab = await OpenTabAsync(1100, 900);
        var (applicant, companyId) = await ApplyAsync(tab);
        await tab.GotoAsync($"{Copay.Origin}/sdk/{applicant}");
        var journey = Journey(tab);
        await journey.GetByRole(AriaRole.Button, new() { Name = "Get started" }).ClickAsync();
        var banking = journey.Locator("section.category").Filter(new() { Has = journey.GetByRole(AriaRole.Heading, new() { Name = "Banking (optional)" }) });

        await banking.GetByLabel("Or upload files instead").SetInputFilesAsync(
            new FilePayload { Name = "statement.pdf", MimeType = "application/pdf", Buffer = Link.CompanyLinkBrowserTests.Pdf });
        await banking.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();

        await Expect(banking).ToContainTextAsync("1 file(s) uploaded");
        await Expect(journey.GetByRole(AriaRole.Status).First).ToHaveTextAsync("statement.pdf uploaded.");
        var upload = await App.WithDbAsync(db => db.UploadedFiles.IgnoreQueryFilters().SingleAsync(f => f.CompanyId == Guid.Parse(companyId)));
        Assert.Equal(("banking", "statement.pdf"), (upload.Category, upload.FileName));
    }

    [Fact]
    public async Task Sdk_MessagesFromAnotherWindowOrOrigin_AreIgnored()
    {
        var tab = await OpenTabAsync(1100, 900);
        var (applicant, _) = await ApplyAsync(tab);
        await tab.GotoAsync($"{Copay.Origin}/sdk/{applicant}");
        await Expect(Journey(tab).GetByRole(AriaRole.Button, new() { Name = "Get started" })).ToBeVisibleAsync();

        // A forged "finish" from the app's own window, and one from a frame on another origin (the AppSite).
        await tab.Page.EvaluateAsync("() => window.postMessage({ source: 'consentry-embed', type: 'finish' }, '*')");
        await tab.Page.EvaluateAsync("src => new Promise(r => { const f = document.createElement('iframe'); f.src = src; f.id = 'other'; f.onload = r; document.body.append(f); })", AppOrigin + "/other");
        var other = tab.Page.Frames.Single(f => f.Url.StartsWith(AppOrigin, StringComparison.Ordinal));
        await other.EvaluateAsync("() => parent.postMessage({ source: 'consentry-embed', type: 'finish' }, '*')");

        // Then a real message (the close button): the app hears it, and never heard "finish".
        await Journey(tab).GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(Event(tab, "close")).ToHaveCountAsync(1);
        await Expect(Event(tab, "finish")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Sdk_OriginNotInTheAllowedOrigins_CannotEmbedOrCall()
    {
        var tab = await OpenTabAsync(1100, 900);
        var (applicant, companyId) = await ApplyAsync(tab);
        await Api.PostJsonAsync("/corsSettings", new { allowedOrigins = new[] { "https://elsewhere.example" } }).ExpectAsync(HttpStatusCode.OK);

        await tab.GotoAsync($"{Copay.Origin}/sdk/{applicant}");

        await Expect(Event(tab, "error")).ToContainTextAsync("fatal");
        await Expect(Event(tab, "error")).ToContainTextAsync("not allowed");
        await Expect(tab.Page.Locator("iframe[data-consentry-link]")).ToHaveCountAsync(0);

        // The same refusal at the HTTP level: the API answers 403 to that origin, and the page may be framed only by the allowed one.
        var token = (await Api.GetAsync($"/companies/{companyId}/accessToken").ExpectAsync(HttpStatusCode.OK))["accessToken"]!.GetValue<string>();
        using var http = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/link/api/companies/{companyId}/journey");
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.Add("Origin", Copay.Origin);
        using var refused = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        using var embed = await http.GetAsync($"/link/embed/{companyId}");
        Assert.EndsWith("frame-ancestors https://elsewhere.example", embed.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        // And a raw iframe of the embed page in the app's page is refused by the browser (frame-ancestors).
        var violation = await tab.Page.RunAndWaitForConsoleMessageAsync(
            () => tab.Page.EvaluateAsync("src => { const f = document.createElement('iframe'); f.src = src; document.body.append(f); }", $"{App.BaseUrl}/link/embed/{companyId}"),
            new() { Predicate = m => m.Text.Contains("frame-ancestors", StringComparison.Ordinal) });
        Assert.Contains("https://elsewhere.example", violation.Text, StringComparison.Ordinal);
    }
}

public sealed class EmbeddedLinkBrowserTests_Sqlite(SqliteLinkApp app, Chromium chromium, AppSite site)
    : EmbeddedLinkBrowserTests(app, chromium, site), IClassFixture<SqliteLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;

public sealed class EmbeddedLinkBrowserTests_Postgres(PostgresLinkApp app, Chromium chromium, AppSite site)
    : EmbeddedLinkBrowserTests(app, chromium, site), IClassFixture<PostgresLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;
