using System.Net;
using System.Text;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Browser.Tests.Infrastructure;
using Consentry.Core.Link;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consentry.Browser.Tests.Link;

/// <summary>
/// The company Link (<c>/link/company/{companyId}</c>) in a browser: landing page, search, connecting accounting through
/// the sandbox's OAuth pages, uploading a PDF for banking, skipping the optional commerce category, completing.
/// </summary>
public abstract class CompanyLinkBrowserTests(LinkApp app, Chromium chromium, AppSite site) : LinkBrowserTest(app, chromium, site)
{
    /// <summary>A minimal PDF: what the upload checks is the content, which starts with %PDF.</summary>
    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
        "trailer << /Root 1 0 R >>\n%%EOF\n");

    [Fact]
    public async Task CompanyJourney_ConnectUploadSkipAndComplete_ReturnsToTheAppWith200()
    {
        await UseBankingUploadAndOptionalCommerceAsync(Api);
        await UseRedirectAsync("/finished/{companyId}?status={statusCode}&platform={platform}");
        var companyId = await Api.CreateCompanyAsync("Company Journey Ltd");
        var tab = await OpenTabAsync();

        await tab.GotoAsync($"/link/company/{companyId}");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Share your business data with Alpha");
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Get started" }), u => u.Contains("step=connect", StringComparison.Ordinal));
        var complete = tab.Page.GetByRole(AriaRole.Button, new() { Name = "Complete" });
        await Expect(complete).ToBeDisabledAsync();
        await Expect(complete).ToHaveAccessibleDescriptionAsync("To complete, connect accounting and banking (or upload files).");
        await Expect(tab.Page.GetByText("To complete, connect accounting and banking (or upload files).")).ToBeVisibleAsync();

        // The search box filters the lists as the customer types (link.js hides the items that do not match).
        var accounting = Integration(tab, "Consentry Sandbox Accounting");
        var bank = Integration(tab, "Consentry Sandbox Bank");
        var commerce = Integration(tab, "Consentry Sandbox Commerce");
        await tab.Page.GetByLabel("Search integrations").PressSequentiallyAsync("bank");
        await Expect(bank).ToBeVisibleAsync();
        await Expect(accounting).ToBeHiddenAsync();
        await Expect(commerce).ToBeHiddenAsync();
        await tab.Page.GetByLabel("Search integrations").FillAsync("");
        await Expect(accounting).ToBeVisibleAsync();
        await Expect(commerce).ToBeVisibleAsync();

        // Accounting: choose the sandbox, sign in there, come back to the company page.
        await tab.ClickAndWaitAsync(accounting.GetByRole(AriaRole.Button), u => u.Contains("handler=Choose", StringComparison.Ordinal));
        await Expect(tab.Page.Locator("#consent-text")).ToContainTextAsync("read-only access to its Consentry Sandbox Accounting data");
        await ContinueToPlatformAsync(tab, "Consentry Sandbox Accounting");
        await SignInAsync(tab, "user_good", "pass_good");
        await AllowAsync(tab, u => u.Contains($"/link/company/{companyId}", StringComparison.Ordinal));
        await Expect(tab.Page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Connected.");
        await Expect(Category(tab, "Accounting")).ToContainTextAsync("Consentry Sandbox Accounting connected");
        await Expect(complete).ToBeDisabledAsync();
        await Expect(complete).ToHaveAccessibleDescriptionAsync("To complete, connect banking (or upload files).");

        // Banking: upload a statement instead of connecting a bank.
        await Category(tab, "Banking").GetByLabel("Or upload files instead").SetInputFilesAsync(
            new FilePayload { Name = "statement.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await tab.ClickAndWaitAsync(Category(tab, "Banking").GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }), u => u.Contains("step=connect", StringComparison.Ordinal));
        await Expect(Category(tab, "Banking")).ToContainTextAsync("1 file(s) uploaded");
        await Expect(complete).ToBeEnabledAsync(); // commerce is optional: it does not hold Complete back

        // Commerce is optional: it can still be skipped explicitly.
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Skip commerce" }), u => u.Contains("step=connect", StringComparison.Ordinal));
        await Expect(Category(tab, "Commerce")).ToContainTextAsync("Skipped");
        await Expect(complete).ToBeEnabledAsync();
        await tab.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"consentry-link-company-ready-{App.Provider}-460x840.png"), FullPage = true });

        await tab.ClickAndWaitAsync(complete, IsApp);

        Assert.StartsWith($"{AppOrigin}/finished/{companyId}?", tab.Page.Url, StringComparison.Ordinal);
        Assert.Equal("200", tab.Query("status"));
        Assert.Equal("sbac", tab.Query("platform"));
        var connections = await Api.GetAsync($"/companies/{companyId}/connections").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Linked", Assert.Single(connections["results"]!.AsArray())!["status"]!.GetValue<string>());
        var upload = await App.WithDbAsync(db => db.UploadedFiles.IgnoreQueryFilters().SingleAsync(f => f.CompanyId == Guid.Parse(companyId)));
        Assert.Equal(("banking", "statement.pdf", Pdf.Length), (upload.Category, upload.FileName, (int)upload.Size));
    }

    [Fact]
    public async Task Upload_PdfNameWithOtherContent_IsRefusedWithAClearMessage()
    {
        await UseBankingUploadAndOptionalCommerceAsync(Api);
        var companyId = await Api.CreateCompanyAsync("Upload Ltd");
        var tab = await OpenTabAsync();
        await tab.GotoAsync($"/link/company/{companyId}?step=connect");

        await Category(tab, "Banking").GetByLabel("Or upload files instead").SetInputFilesAsync(
            new FilePayload { Name = "statement.pdf", MimeType = "application/pdf", Buffer = Encoding.UTF8.GetBytes("date,amount\n2024-01-01,10.00\n") });
        await tab.ClickAndWaitAsync(Category(tab, "Banking").GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }), u => u.Contains("handler=Upload", StringComparison.Ordinal));

        await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That file is not a real PDF file.");
        await tab.ClickAndWaitAsync(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Back" }), u => u.Contains("step=connect", StringComparison.Ordinal));
        await Expect(Category(tab, "Banking")).Not.ToContainTextAsync("uploaded");
        Assert.False(await App.WithDbAsync(db => db.UploadedFiles.IgnoreQueryFilters().AnyAsync(f => f.CompanyId == Guid.Parse(companyId))));
    }

    /// <summary>Alpha's Link settings (PUT /settings/link): banking offers file upload, commerce is optional, accounting stays required.</summary>
    public static async Task UseBankingUploadAndOptionalCommerceAsync(HttpClient api) =>
        await api.PutJsonAsync("/settings/link", new LinkSettings { Categories = { Banking = { FileUpload = true }, Commerce = { Optional = true } } })
            .ExpectAsync(HttpStatusCode.OK);

    private static ILocator Category(LinkTab tab, string title) =>
        tab.Page.Locator("section.category").Filter(new() { Has = tab.Page.GetByRole(AriaRole.Heading, new() { NameRegex = new($"^{title}") }) });

    private static ILocator Integration(LinkTab tab, string name) =>
        tab.Page.GetByRole(AriaRole.Listitem).Filter(new() { Has = tab.Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }) });
}

public sealed class CompanyLinkBrowserTests_Sqlite(SqliteLinkApp app, Chromium chromium, AppSite site)
    : CompanyLinkBrowserTests(app, chromium, site), IClassFixture<SqliteLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;

public sealed class CompanyLinkBrowserTests_Postgres(PostgresLinkApp app, Chromium chromium, AppSite site)
    : CompanyLinkBrowserTests(app, chromium, site), IClassFixture<PostgresLinkApp>, IClassFixture<Chromium>, IClassFixture<AppSite>;
