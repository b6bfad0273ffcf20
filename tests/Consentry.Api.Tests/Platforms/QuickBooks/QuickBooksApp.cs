using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Persistence;
using Consentry.Sandbox.Simulators.QuickBooks;

namespace Consentry.Api.Tests.Platforms.QuickBooks;

/// <summary>
/// The host on Kestrel with <c>Consentry:Platforms:UseSimulators</c> on: QuickBooks Online (<c>qhyg</c>) is the
/// simulator under <c>/simulators/quickbooks</c>, reached over real HTTP like the vendor.
/// </summary>
public class QuickBooksApp(DatabaseProvider provider, bool realLimits = false) : SyncApp(provider)
{
    public const string Key = "qhyg";
    public const string Simulator = "/simulators/quickbooks";

    /// <summary>Every data type the connector reads.</summary>
    public static readonly string[] DataTypes = ["company", "chartOfAccounts", "customers", "suppliers", "invoices", "bills", "payments"];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Consentry:Platforms:UseSimulators"] = "true",
        [$"{QuickBooksSimulatorOptions.Section}:EnforceLimits"] = realLimits ? "true" : "false",
    };

    /// <summary>Walks the Link journey through Intuit's (simulated) sign-in and company chooser; the connection ends Linked.</summary>
    public async Task<(string CompanyId, string ConnectionId, string RealmId)> LinkQuickBooksAsync(string username, int companyIndex = 0, object? tags = null)
    {
        var api = Alpha();
        var companyId = await api.CreateCompanyAsync("QuickBooks Customer Ltd", tags);
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = Key }).ExpectAsync(HttpStatusCode.OK);
        var realmId = (await CompaniesAsync(username))[companyIndex];
        using var browser = Browser();
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");
        Assert.Contains($"{Simulator}/appcenter/connect/oauth2", browser.Location.AbsolutePath, StringComparison.Ordinal);
        await browser.SubmitAsync("oauth2/login", new() { ["username"] = username, ["password"] = "pass_good" });
        await browser.SubmitAsync("oauth2/choose", new() { ["realmId"] = realmId });
        var connectionId = connection["id"]!.GetValue<string>();
        var linked = await api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Linked", linked["status"]!.GetValue<string>());
        return (companyId, connectionId, realmId);
    }

    /// <summary>The simulator's test controls, authenticated with its client credentials.</summary>
    public HttpClient Control()
    {
        var client = new HttpClient { BaseAddress = new Uri($"{BaseUrl}{Simulator}/control/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            Encoding.UTF8.GetBytes($"{QuickBooksSimulator.SimulatorClientId}:{QuickBooksSimulator.SimulatorClientSecret}")));
        return client;
    }

    /// <summary>The realm ids of the user's companies, in the order the chooser shows them.</summary>
    public async Task<string[]> CompaniesAsync(string username)
    {
        var companies = await Control().GetAsync($"users/{Uri.EscapeDataString(username)}/companies").ExpectAsync(HttpStatusCode.OK);
        return [.. companies.AsArray().Select(c => c!["realmId"]!.GetValue<string>())];
    }

    public async Task ControlAsync(string path)
    {
        using var response = await Control().PostAsync(path, null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public async Task<JsonNode> TrafficAsync(string realmId) =>
        await Control().GetAsync($"companies/{realmId}/traffic").ExpectAsync(HttpStatusCode.OK);
}

public sealed class SqliteQuickBooksApp() : QuickBooksApp(DatabaseProvider.Sqlite);

public sealed class PostgresQuickBooksApp() : QuickBooksApp(DatabaseProvider.Postgres);

/// <summary>Intuit's real limits on (10 concurrent requests, 500 a minute per realm): the connector must keep to them.</summary>
public sealed class LimitedQuickBooksApp() : QuickBooksApp(DatabaseProvider.Sqlite, realLimits: true);
