using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Features.Link;
using Consentry.Features.Link.Embedded;

namespace Consentry.Api.Tests.Link;

/// <summary>
/// Every Link page opened for a company or connection that does not exist, or no longer does, answers 404 with a page
/// in the Link pages' style that says the link is invalid or expired, never "Something went wrong" (issue 20, item 6).
/// </summary>
public sealed class LinkNotFoundPagesTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private const string Heading = "This link is invalid or has expired";

    public static TheoryData<string> UnknownPaths => new()
    {
        $"/link/companies/{Guid.NewGuid()}/connections/{Guid.NewGuid()}/start",
        $"/link/companies/{Guid.NewGuid()}/connections/{Guid.NewGuid()}/credentials",
        $"/link/company/{Guid.NewGuid()}",
        $"/link/company/{Guid.NewGuid()}?step=connect",
        $"/link/company/{Guid.NewGuid()}/manage",
        $"/link/embed/{Guid.NewGuid()}",
        $"/link/embed/result?companyId={Guid.NewGuid()}&status=200",
        "/link/company/not-a-company-id",
        "/link/companies/x/connections/y/start",
    };

    [Theory]
    [MemberData(nameof(UnknownPaths))]
    public async Task UnknownCompanyOrConnection_Answers404_WithTheInvalidLinkPage(string path) =>
        await ExpectInvalidLinkPageAsync(path);

    [Fact]
    public async Task DeletedConnection_StartAndCredentials_Answer404_WithTheInvalidLinkPage()
    {
        var api = app.Alpha();
        var companyId = await api.CreateCompanyAsync("Deleted Connection Ltd");
        var connectionId = await api.CreateConnectionAsync(companyId, "sbac");
        await ExpectPageAsync($"/link/companies/{companyId}/connections/{connectionId}/start", HttpStatusCode.OK);

        await DeleteAsync(api, $"/companies/{companyId}/connections/{connectionId}");

        await ExpectInvalidLinkPageAsync($"/link/companies/{companyId}/connections/{connectionId}/start");
        await ExpectInvalidLinkPageAsync($"/link/companies/{companyId}/connections/{connectionId}/credentials");
        await ExpectInvalidLinkPageAsync($"/link/embed/authorize?ticket={Uri.EscapeDataString(await TicketAsync(companyId, connectionId))}");
    }

    [Fact]
    public async Task AnotherCompanysConnection_StartAndCredentials_Answer404_WithTheInvalidLinkPage()
    {
        // The pages read the company (with its tags) and the connection in one statement: the connection must be the
        // company's own, whoever else's it is.
        var api = app.Alpha();
        var owner = await api.CreateCompanyAsync("Owner Ltd");
        var connectionId = await api.CreateConnectionAsync(owner, "sbac");
        var other = await api.CreateCompanyAsync("Other Ltd", new Dictionary<string, string> { ["region"] = "eu", ["tier"] = "gold" });
        await ExpectPageAsync($"/link/companies/{owner}/connections/{connectionId}/start", HttpStatusCode.OK);

        await ExpectInvalidLinkPageAsync($"/link/companies/{other}/connections/{connectionId}/start");
        await ExpectInvalidLinkPageAsync($"/link/companies/{other}/connections/{connectionId}/credentials");
    }

    [Fact]
    public async Task DeletedCompany_EveryCompanyPage_Answers404_WithTheInvalidLinkPage()
    {
        var api = app.Alpha();
        var companyId = await api.CreateCompanyAsync("Deleted Company Ltd");
        await ExpectPageAsync($"/link/company/{companyId}", HttpStatusCode.OK);
        var reference = app.Service<LinkResultReferences>().Issue(new LinkResult(Guid.Parse(companyId), null, 200, false, "c0ffee"));

        await DeleteAsync(api, $"/companies/{companyId}");

        foreach (var path in new[]
        {
            $"/link/company/{companyId}", $"/link/company/{companyId}/manage", $"/link/embed/{companyId}",
            $"/link/embed/result?companyId={companyId}&status=200", $"/link/done?r={Uri.EscapeDataString(reference)}",
        })
        {
            await ExpectInvalidLinkPageAsync(path);
        }
    }

    private static async Task DeleteAsync(HttpClient api, string path)
    {
        using var response = await api.DeleteAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"DELETE {path}: {(int)response.StatusCode}");
    }

    private async Task<string> TicketAsync(string companyId, string connectionId)
    {
        var clientId = await app.WithDbAsync(db => Task.FromResult(db.Clients.First(c => c.Name == "Alpha").Id));
        return app.Service<EmbedTickets>().Issue(new EmbedTicket(clientId, Guid.Parse(companyId), Guid.Parse(connectionId), EmbedMode.Popup, "https://app.example", null));
    }

    private async Task ExpectInvalidLinkPageAsync(string path)
    {
        var html = await ExpectPageAsync(path, HttpStatusCode.NotFound);
        Assert.Contains(Heading, html, StringComparison.Ordinal);
        Assert.Contains("/link/link.css", html, StringComparison.Ordinal); // the Link pages' style
        Assert.DoesNotContain("Something went wrong", html, StringComparison.Ordinal);
    }

    private async Task<string> ExpectPageAsync(string path, HttpStatusCode status)
    {
        using var response = await app.Anonymous().GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{path}: {(int)response.StatusCode}\n{html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return html;
    }
}
