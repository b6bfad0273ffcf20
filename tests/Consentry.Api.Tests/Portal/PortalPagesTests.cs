using System.Net;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Connections;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Portal;

/// <summary>What the portal's pages show: each company's connection statuses, and the Link texts' default wording.</summary>
public abstract partial class PortalPagesTests(PortalApp app)
{
    [Fact]
    public async Task CompaniesList_ShowsHowManyConnectionsAreInEachStatus_TheWorstFirst()
    {
        var (company, connections) = await CompanyAsync("Status Column Traders", "sbac", "sbbk", "sbcm");
        await SetStatusAsync(connections[0], ConnectionStatus.Linked);
        await SetStatusAsync(connections[1], ConnectionStatus.Deauthorized);
        var (linked, both) = await CompanyAsync("Status Column Linked", "sbac", "sbbk");
        await SetStatusAsync(both[0], ConnectionStatus.Linked);
        await SetStatusAsync(both[1], ConnectionStatus.Linked);
        var (idle, _) = await CompanyAsync("Status Column Idle");
        using var session = app.Session();
        await session.SignInAsync(PortalApp.AdminEmail, PortalApp.AdminPassword);

        var html = await session.GetAsync("/portal/companies?q=status+column");

        Assert.Equal(["1 Deauthorized", "1 PendingAuth", "1 Linked"], Badges(Row(html, company)));
        Assert.Equal(["2 Linked"], Badges(Row(html, linked)));
        Assert.Contains("No connections", Row(html, idle), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinkSettings_WithTextsLeftEmpty_ShowTheDefaultWordingInTheFieldsAndThePreview()
    {
        await app.Alpha().PutJsonAsync("/settings/link", new { texts = new { additionalConsentTitle = "More data for CoPay" }, categories = new { } })
            .ExpectAsync(HttpStatusCode.OK);
        using var session = app.Session();
        await session.SignInAsync(PortalApp.AdminEmail, PortalApp.AdminPassword);

        var html = WebUtility.HtmlDecode(await session.GetAsync("/portal/settings/link"));

        Assert.Contains("placeholder=\"Share your business data with Alpha\"", html, StringComparison.Ordinal);
        Assert.Contains("placeholder=\"Alpha uses this data to assess and serve your business.\"", html, StringComparison.Ordinal);
        Assert.Contains("placeholder=\"Read-only access. Nothing is changed in your accounts.\"", html, StringComparison.Ordinal);
        Assert.Matches("id=\"preview-landing-title\"[^>]*>Share your business data with Alpha<", html);
        Assert.Matches("id=\"preview-retention\"[^>]*>Data is kept while you stay connected; you can ask for it to be deleted.<", html);
        // Every text of the settings has its field, so saving the form keeps the ones set through the API.
        Assert.Contains("value=\"More data for CoPay\"", html, StringComparison.Ordinal);
    }

    private async Task<(string Company, List<Guid> Connections)> CompanyAsync(string name, params string[] platformKeys)
    {
        var company = await app.Alpha().CreateCompanyAsync(name);
        var connections = new List<Guid>();
        foreach (var key in platformKeys)
        {
            var connection = await app.Alpha().PostJsonAsync($"/companies/{company}/connections", new { platformKey = key }).ExpectAsync(HttpStatusCode.OK);
            connections.Add(Guid.Parse(connection["id"]!.GetValue<string>()));
        }

        return (company, connections);
    }

    private async Task SetStatusAsync(Guid connectionId, ConnectionStatus status) =>
        await app.WithDbAsync(db => db.Connections.IgnoreQueryFilters().Where(c => c.Id == connectionId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, status)));

    private static string Row(string html, string companyId) =>
        RowPattern().Matches(html).Select(m => m.Value).Single(r => r.Contains(companyId, StringComparison.Ordinal));

    private static IEnumerable<string> Badges(string row) => BadgePattern().Matches(row).Select(m => m.Groups[1].Value);

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("class=\"badge[^\"]*\">([^<]+)<")]
    private static partial Regex BadgePattern();
}

public sealed class PortalPagesTests_Sqlite(SqlitePortalApp app) : PortalPagesTests(app), IClassFixture<SqlitePortalApp>;

public sealed class PortalPagesTests_Postgres(PostgresPortalApp app) : PortalPagesTests(app), IClassFixture<PostgresPortalApp>;
