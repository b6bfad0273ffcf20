using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Link;

/// <summary>
/// "Can't find yours?" on the company Link page: the customer names the platform they use; it is stored for the client
/// only, thanked in the customer's language (the upload still offered), and listed by <c>GET /monitoring/platformRequests</c>.
/// </summary>
public abstract class PlatformRequestTests(LinkApp app)
{
    private readonly HttpClient _api = app.Beta();

    [Fact]
    public async Task Request_IsStoredThankedAndListed_ForItsClientOnly()
    {
        await ConfigureAsync();
        var companyId = await _api.CreateCompanyAsync("Missing Platform Ltd");
        using var browser = app.Browser();
        await browser.GoAsync($"/link/company/{companyId}?step=connect");
        Assert.Contains("Which platform do you use?", browser.Html, StringComparison.Ordinal);

        await browser.SubmitAsync("handler=RequestPlatform", new() { ["category"] = "banking", ["platformName"] = "  Sage 50 ", ["note"] = "The desktop edition" });

        Assert.Equal(HttpStatusCode.OK, browser.Status);
        var html = WebUtility.HtmlDecode(browser.Html);
        Assert.Contains("Thank you. Beta Lending now knows which platform you use.", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#file-banking\">Upload files instead</a>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"file-banking\"", html, StringComparison.Ordinal);
        var stored = await app.WithDbAsync(db => db.PlatformRequests.IgnoreQueryFilters().SingleAsync(r => r.CompanyId == Guid.Parse(companyId)));
        Assert.Equal(("Sage 50", "The desktop edition", "banking", "en"), (stored.PlatformName, stored.Note, stored.Category, stored.Locale));

        var listed = await _api.GetAsync($"/monitoring/platformRequests?query=companyId%3D{companyId}").ExpectAsync(HttpStatusCode.OK);
        var item = Assert.Single(listed["results"]!.AsArray())!;
        Assert.Equal("Sage 50", item["platformName"]!.GetValue<string>());
        Assert.Equal("banking", item["category"]!.GetValue<string>());
        Assert.Equal(1, listed["totalResults"]!.GetValue<int>());
        Assert.NotNull(listed["_links"]!["self"]);

        var otherClient = await app.Alpha().GetAsync("/monitoring/platformRequests?pageSize=5000").ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(otherClient["results"]!.AsArray(), r => r!["companyId"]!.GetValue<string>() == companyId);
        await _api.GetAsync("/monitoring/platformRequests?pageSize=0").ExpectErrorAsync(HttpStatusCode.BadRequest, "pageSize");
        await _api.GetAsync("/monitoring/platformRequests?query=nope%3D1").ExpectErrorAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("banking", "", null, "Enter the name of the platform you use")]
    [InlineData("banking", "   ", null, "Enter the name of the platform you use")]
    [InlineData("banking", "x101", null, "Enter the name of the platform you use")]
    [InlineData("banking", "Sage", "n501", "The note can be at most 500 characters.")]
    [InlineData("payroll", "Sage", null, "That category is not part of this journey.")]
    public async Task BadInput_IsRefusedWith400_AndNothingIsStored(string category, string name, string? note, string message)
    {
        await ConfigureAsync();
        var companyId = await _api.CreateCompanyAsync("Careful Requests Ltd");
        using var browser = app.Browser();
        await browser.GoAsync($"/link/company/{companyId}?step=connect");

        await browser.SubmitAsync("handler=RequestPlatform", new()
        {
            ["category"] = category,
            ["platformName"] = name == "x101" ? new string('x', 101) : name,
            ["note"] = note == "n501" ? new string('n', 501) : note ?? "",
        });

        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains(message, WebUtility.HtmlDecode(browser.Html), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.PlatformRequests.IgnoreQueryFilters().CountAsync(r => r.CompanyId == Guid.Parse(companyId))));
    }

    [Fact]
    public async Task FrenchPage_AsksAndThanksInFrench_AndRecordsTheLanguage()
    {
        await ConfigureAsync();
        var companyId = await _api.CreateCompanyAsync("Plateforme Introuvable SARL");
        using var browser = app.Browser();
        await browser.GoAsync($"/link/company/{companyId}?step=connect&locale=fr");
        var html = WebUtility.HtmlDecode(browser.Html);
        Assert.Contains("Vous ne trouvez pas la vôtre ?", html, StringComparison.Ordinal);
        Assert.Contains("Quelle plateforme utilisez-vous ?", html, StringComparison.Ordinal);
        Assert.Contains("Autre chose à nous dire ? (facultatif)", html, StringComparison.Ordinal);

        await browser.SubmitAsync("handler=RequestPlatform", new() { ["category"] = "banking", ["platformName"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, browser.Status);
        Assert.Contains("Saisissez le nom de la plateforme que vous utilisez", WebUtility.HtmlDecode(browser.Html), StringComparison.Ordinal);

        await browser.GoAsync($"/link/company/{companyId}?step=connect");
        await browser.SubmitAsync("handler=RequestPlatform", new() { ["category"] = "banking", ["platformName"] = "Pennylane" });
        Assert.Contains("Merci. Beta Lending sait désormais quelle plateforme vous utilisez.", WebUtility.HtmlDecode(browser.Html), StringComparison.Ordinal);
        Assert.Contains("Importez plutôt des fichiers", WebUtility.HtmlDecode(browser.Html), StringComparison.Ordinal);
        var stored = await app.WithDbAsync(db => db.PlatformRequests.IgnoreQueryFilters().SingleAsync(r => r.CompanyId == Guid.Parse(companyId)));
        Assert.Equal("fr", stored.Locale);
    }

    private async Task ConfigureAsync()
    {
        await _api.PutJsonAsync("/profile", new { name = "Beta", redirectUrl = "https://beta.example/back?status={statusCode}", whiteListUrls = new[] { "https://beta.example" } })
            .ExpectAsync(HttpStatusCode.OK);
        await _api.PutJsonAsync("/settings/link", new
        {
            companyName = "Beta Lending",
            categories = new { accounting = new { enabled = true }, banking = new { enabled = true, fileUpload = true }, commerce = new { enabled = true, optional = true } },
            texts = new { },
        }).ExpectAsync(HttpStatusCode.OK);
    }
}

public sealed class PlatformRequestTests_Sqlite(SqliteLinkApp app) : PlatformRequestTests(app), IClassFixture<SqliteLinkApp>;

public sealed class PlatformRequestTests_Postgres(PostgresLinkApp app) : PlatformRequestTests(app), IClassFixture<PostgresLinkApp>;
