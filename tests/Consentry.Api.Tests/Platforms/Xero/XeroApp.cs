using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Persistence;

namespace Consentry.Api.Tests.Platforms.Xero;

/// <summary>
/// The host with <c>Consentry:Platforms:UseSimulators=true</c>: Xero (<c>gbol</c>) is enabled and points at the Xero
/// simulator this process serves under <c>/simulators/xero</c>. Used refresh tokens stop working at once (no grace
/// period), so a read that used a rotated-away refresh token would fail. Small pages, so the small users' data pages.
/// </summary>
public class XeroApp(DatabaseProvider provider) : SyncApp(provider)
{
    public const string ClientId = "xero-simulator-client";
    public const string ClientSecret = "xero-simulator-secret";

    public static readonly string[] DataTypes = ["company", "chartOfAccounts", "customers", "suppliers", "invoices", "bills", "payments"];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Consentry:Platforms:UseSimulators"] = "true",
        ["Consentry:Simulators:Xero:RefreshTokenGracePeriod"] = "00:00:00",
        ["Consentry:Sync:PageSize"] = "25",
    };

    public string SimulatorBase => $"{BaseUrl}/simulators/xero";

    /// <summary>
    /// Creates a company and a Xero connection and walks Link as <paramref name="username"/>: Continue, Xero's login,
    /// Xero's consent with the given organisations ticked (1 and/or 2), and, when both were, Consentry's chooser.
    /// </summary>
    public async Task<(string CompanyId, string ConnectionId)> LinkXeroAsync(string username, int[]? connect = null, int? choose = null, object? tags = null)
    {
        var api = Alpha();
        var companyId = await api.CreateCompanyAsync("Xero Ltd", tags);
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "gbol" }).ExpectAsync(HttpStatusCode.OK);
        using var browser = Browser();
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");
        await browser.SubmitAsync("/connect/login", new() { ["username"] = username, ["password"] = "pass_good" });
        await browser.SubmitAsync("/consent/allow", (connect ?? [1]).ToDictionary(i => $"org-{i}", _ => "on"));
        if (choose is { } org)
        {
            var tenantId = (await OrgStatsAsync(username, org))["tenantId"]!.GetValue<string>();
            await browser.SubmitAsync("handler=Choose", new() { ["accountId"] = tenantId });
        }

        var connectionId = connection["id"]!.GetValue<string>();
        var linked = await api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.True(linked["status"]!.GetValue<string>() == "Linked", $"Not linked: {linked.ToJsonString()}\n{browser.Location}\n{browser.Html}");
        return (companyId, connectionId);
    }

    /// <summary>The simulator's control API, as its registered client.</summary>
    public HttpClient XeroControl()
    {
        var client = new HttpClient { BaseAddress = new Uri(SimulatorBase + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}")));
        return client;
    }

    public async Task<JsonNode> OrgStatsAsync(string username, int org = 1) =>
        await XeroControl().GetAsync($"control/users/{Uri.EscapeDataString(username)}/orgs/{org}/stats").ExpectAsync(HttpStatusCode.OK);

    public async Task<JsonNode> ControlAsync(string path, object? body = null) =>
        await XeroControl().PostJsonAsync($"control/{path}", body ?? new { }).ExpectAsync(HttpStatusCode.OK);
}

public sealed class SqliteXeroApp() : XeroApp(DatabaseProvider.Sqlite);

public sealed class PostgresXeroApp() : XeroApp(DatabaseProvider.Postgres);
