using System.Net;
using System.Text;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Link;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Link;

/// <summary>The company Link journey over real HTTP: landing, OAuth per category, upload instead, skip, complete.</summary>
public abstract class CompanyLinkTests(LinkApp app)
{
    private readonly HttpClient _api = app.Beta();

    [Fact]
    public async Task Journey_ConnectUploadSkipComplete_ReturnsToTheApp()
    {
        await ConfigureAsync();
        var companyId = await _api.CreateCompanyAsync("Company Journey Ltd");
        using var browser = app.Browser();

        await browser.GoAsync($"/link/company/{companyId}?ref=r1");
        Assert.Contains("Share your business data with Beta Lending", browser.Html, StringComparison.Ordinal);
        await browser.GoAsync($"/link/company/{companyId}?step=connect&ref=r1");
        Assert.Contains("Consentry Sandbox Accounting", browser.Html, StringComparison.Ordinal);
        Assert.Contains("disabled", Complete(browser.Html), StringComparison.Ordinal);

        await browser.SubmitAsync("handler=Choose", new() { ["platformKey"] = "sbac" });
        await browser.SubmitAsync("handler=Authorize");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = "user_good", ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");
        Assert.Equal($"/link/company/{companyId}", browser.Location.AbsolutePath);
        Assert.Contains("Consentry Sandbox Accounting connected", browser.Html, StringComparison.Ordinal);

        var (uploaded, _) = await UploadAsync(browser, companyId, "banking", "statement.pdf", "%PDF-1.4\n%fake but well-formed enough\n"u8.ToArray());
        Assert.Equal(HttpStatusCode.Redirect, uploaded);
        await browser.GoAsync($"/link/company/{companyId}?step=connect");
        Assert.Contains("1 file(s) uploaded", browser.Html, StringComparison.Ordinal);

        await browser.SubmitAsync("handler=Skip", new() { ["category"] = "commerce" });
        Assert.DoesNotContain("disabled", Complete(browser.Html), StringComparison.Ordinal);
        await browser.SubmitAsync("handler=Complete");

        Assert.Equal("https://beta.example", browser.Location.GetLeftPart(UriPartial.Authority));
        var query = QueryHelpers.ParseQuery(browser.Location.Query);
        Assert.Equal("200", query["status"].ToString());
        var steps = await app.WithDbAsync(db => db.JourneyEvents.IgnoreQueryFilters().Where(e => e.CompanyId == Guid.Parse(companyId)).Select(e => e.Step).ToListAsync());
        Assert.Contains(JourneyStep.IntegrationSelected, steps);
        Assert.Contains(JourneyStep.FileUploaded, steps);
        Assert.Contains(JourneyStep.CategorySkipped, steps);
        Assert.Contains(JourneyStep.Completed, steps);
        var file = await app.WithDbAsync(db => db.UploadedFiles.IgnoreQueryFilters().SingleAsync(f => f.CompanyId == Guid.Parse(companyId)));
        Assert.Equal("statement.pdf", file.FileName);
        Assert.Equal("banking", file.Category);
    }

    [Fact]
    public async Task Upload_WrongContentOrType_IsRefused_AndRequiredCategoriesCannotBeSkipped()
    {
        await ConfigureAsync();
        var companyId = await _api.CreateCompanyAsync("Careful Uploads Ltd");
        using var browser = app.Browser();
        await browser.GoAsync($"/link/company/{companyId}?step=connect");

        var (status, html) = await UploadAsync(browser, companyId, "banking", "fake.pdf", "MZ not a pdf"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not a real PDF", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(browser, companyId, "banking", "virus.exe", "MZ"u8.ToArray())).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(browser, companyId, "accounting", "books.csv", "a,b\n1,2\n"u8.ToArray())).Status);

        await browser.GoAsync($"/link/company/{companyId}?step=connect");
        await browser.SubmitAsync("handler=Complete");
        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Equal(0, await app.WithDbAsync(db => db.UploadedFiles.IgnoreQueryFilters().CountAsync(f => f.CompanyId == Guid.Parse(companyId))));
    }

    [Fact]
    public async Task ErrorPages_SpeakTheCustomersLanguage_WithWhatWentWrongFilledIn()
    {
        await ConfigureAsync();
        var companyId = await _api.CreateCompanyAsync("Fichiers Ltd");
        using var browser = app.Browser();
        await browser.GoAsync($"/link/company/{companyId}?step=connect&locale=fr");

        var (status, html) = await UploadAsync(browser, companyId, "banking", "faux.pdf", "MZ not a pdf"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Ce fichier n'est pas un vrai fichier PDF.", Alert(html));
        Assert.Contains("Un problème est survenu", WebUtility.HtmlDecode(html), StringComparison.Ordinal);

        await browser.GoAsync($"/link/company/{companyId}?step=connect&locale=de");
        await browser.SubmitAsync("handler=Complete");
        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Equal("Verbinden Sie zum Abschließen zuerst: Buchhaltung und Bank (oder Dateien hochladen).", Alert(browser.Html));
        Assert.DoesNotContain("To complete", browser.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptionalCategories_LeftOut_DoNotBlockComplete_AndCountAsSkipped()
    {
        await ConfigureAsync();
        await _api.PutJsonAsync("/settings/link", new
        {
            companyName = "Beta Lending",
            categories = new
            {
                accounting = new { enabled = true, optional = false, fileUpload = true },
                banking = new { enabled = true, optional = true },
                commerce = new { enabled = true, optional = true },
            },
            texts = new { },
        }).ExpectAsync(HttpStatusCode.OK);
        var companyId = await _api.CreateCompanyAsync("Optional Extras Ltd");
        using var browser = app.Browser();

        await browser.GoAsync($"/link/company/{companyId}?step=connect");
        Assert.Contains("<button type=\"submit\" disabled aria-describedby=\"complete-reason\">Complete</button>", Complete(browser.Html), StringComparison.Ordinal);
        Assert.Contains("<p id=\"complete-reason\">To complete, connect accounting (or upload files).</p>", Complete(browser.Html), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await UploadAsync(browser, companyId, "accounting", "books.csv", "date,amount\n2024-01-01,10.00\n"u8.ToArray())).Status);
        await browser.GoAsync($"/link/company/{companyId}?step=connect");
        Assert.DoesNotContain("disabled", Complete(browser.Html), StringComparison.Ordinal);
        await browser.SubmitAsync("handler=Complete");

        Assert.Equal("https://beta.example", browser.Location.GetLeftPart(UriPartial.Authority));
        Assert.Equal("200", QueryHelpers.ParseQuery(browser.Location.Query)["status"].ToString());
        var skipped = await app.WithDbAsync(db => db.JourneyEvents.IgnoreQueryFilters()
            .Where(e => e.CompanyId == Guid.Parse(companyId) && e.Step == JourneyStep.CategorySkipped).Select(e => e.Detail).ToListAsync());
        Assert.Equal(["banking", "commerce"], skipped.Order());
    }

    [Fact]
    public async Task LinkSettings_ApiRoundTrips_AndRefusesBadValues()
    {
        await ConfigureAsync();
        var settings = await _api.GetAsync("/settings/link").ExpectAsync(HttpStatusCode.OK);
        Assert.True(settings["categories"]!["banking"]!["fileUpload"]!.GetValue<bool>());
        Assert.Equal("Beta Lending", settings["companyName"]!.GetValue<string>());

        await _api.PutJsonAsync("/settings/link", new { primaryColor = "red", categories = new { accounting = new { }, banking = new { }, commerce = new { } }, texts = new { } })
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "primaryColor");
        await _api.PutJsonAsync("/settings/link", new
        {
            categories = new { accounting = new { enabled = false }, banking = new { enabled = false }, commerce = new { enabled = false } },
            texts = new { },
        }).ExpectErrorAsync(HttpStatusCode.BadRequest, "At least one category");
        await _api.PutJsonAsync("/settings/link", new { logoUrl = "javascript:alert(1)", categories = new { accounting = new { }, banking = new { }, commerce = new { } }, texts = new { } })
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "logoUrl");
    }

    private async Task ConfigureAsync()
    {
        await _api.PutJsonAsync("/profile", new { name = "Beta", redirectUrl = "https://beta.example/back?status={statusCode}&company={companyId}&ref={ref}", whiteListUrls = new[] { "https://beta.example" } })
            .ExpectAsync(HttpStatusCode.OK);
        await _api.PutJsonAsync("/settings/link", new
        {
            companyName = "Beta Lending",
            primaryColor = "#0F766E",
            categories = new
            {
                accounting = new { enabled = true, optional = false, fileUpload = false },
                banking = new { enabled = true, optional = false, fileUpload = true, fileUploadDescription = "Your last 3 months of statements." },
                commerce = new { enabled = true, optional = true },
            },
            texts = new { landingSubtitle = "Three quick steps." },
        }).ExpectAsync(HttpStatusCode.OK);
    }

    /// <summary>Posts a file from the company page (as its upload form would) and returns the status and page.</summary>
    private static async Task<(HttpStatusCode Status, string Html)> UploadAsync(LinkBrowser browser, string companyId, string category, string fileName, byte[] content)
    {
        await browser.GoAsync($"/link/company/{companyId}?step=connect");
        var token = browser.Forms().First(f => f.Action.Contains("handler=Choose", StringComparison.Ordinal)).Hidden["__RequestVerificationToken"];
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = browser.Location };
        using var body = new MultipartFormDataContent
        {
            { new StringContent(token, Encoding.UTF8), "__RequestVerificationToken" },
            { new StringContent(category), "category" },
            { new ByteArrayContent(content), "file", fileName },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/link/company/{companyId}?handler=Upload") { Content = body };
        request.Headers.Add("Cookie", string.Join("; ", browser.Cookies.Select(c => $"{c.Key}={c.Value}")));
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Alert(string html) =>
        WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "role=\"alert\">(.*?)</p>").Groups[1].Value);

    private static string Complete(string html)
    {
        var at = html.IndexOf("handler=Complete", StringComparison.Ordinal);
        return html[at..html.IndexOf("</form>", at, StringComparison.Ordinal)];
    }
}

public sealed class CompanyLinkTests_Sqlite(SqliteLinkApp app) : CompanyLinkTests(app), IClassFixture<SqliteLinkApp>;

public sealed class CompanyLinkTests_Postgres(PostgresLinkApp app) : CompanyLinkTests(app), IClassFixture<PostgresLinkApp>;
