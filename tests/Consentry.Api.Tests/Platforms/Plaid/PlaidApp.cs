using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Persistence;

namespace Consentry.Api.Tests.Platforms.Plaid;

/// <summary>
/// The host with <c>Consentry:Platforms:UseSimulators=true</c>: Plaid (<c>suuo</c>) is enabled and points at the Plaid
/// simulator this process serves under <c>/simulators/plaid</c>. Small pages, so twelve months of transactions take
/// several <c>/transactions/sync</c> calls; consent expiry is checked often.
/// </summary>
public class PlaidApp(DatabaseProvider provider) : SyncApp(provider)
{
    public const string ClientId = "plaid-simulator-client";
    public const string Secret = "plaid-simulator-secret";

    /// <summary>First Platypus Bank (US: no consent expiry) and Royal Bank of Plaid (GB: a 90-day consent).</summary>
    public const string UsBank = "ins_109508";
    public const string UkBank = "ins_117650";

    public static readonly string[] DataTypes = ["banking-accounts", "banking-accountBalances", "banking-transactions"];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Consentry:Platforms:UseSimulators"] = "true",
        ["Consentry:Sync:PageSize"] = "25",
        ["Consentry:Consents:PollMilliseconds"] = "100",
        ["Consentry:Consents:ExpiryWarning"] = "7.00:00:00",
    };

    public string SimulatorBase => $"{BaseUrl}/simulators/plaid";

    /// <summary>Creates a company and a Plaid connection and walks Link and Hosted Link as <paramref name="username"/>.</summary>
    public async Task<(string CompanyId, string ConnectionId)> LinkPlaidAsync(string username, string institution = UsBank, object? tags = null)
    {
        var api = Alpha();
        var companyId = await api.CreateCompanyAsync("Plaid Ltd", tags);
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "suuo" }).ExpectAsync(HttpStatusCode.OK);
        var connectionId = connection["id"]!.GetValue<string>();
        using var browser = await HostedLinkAsync(connection["linkUrl"]!.GetValue<string>(), username, institution);
        await AssertLinkedAsync(companyId, connectionId, browser);
        return (companyId, connectionId);
    }

    /// <summary>
    /// Opens a linkUrl and walks Hosted Link: the institution chooser (skipped in update mode, when Plaid shows the sign-in
    /// at once), the sign-in, and the account selection; ends where Consentry sends the customer after the completion redirect.
    /// </summary>
    public async Task<LinkBrowser> HostedLinkAsync(string linkUrl, string username, string institution = UsBank)
    {
        var browser = Browser();
        await browser.GoAsync(new Uri(linkUrl).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");
        Assert.Contains("/simulators/plaid/hl/", browser.Location.AbsolutePath, StringComparison.Ordinal);
        if (browser.Forms().Any(f => f.Action.EndsWith("/institution", StringComparison.Ordinal)))
        {
            await browser.SubmitAsync("/institution", new() { ["institution"] = institution });
        }

        await browser.SubmitAsync("/login", new() { ["username"] = username, ["password"] = "pass_good" });
        if (browser.Forms().Any(f => f.Action.EndsWith("/accounts", StringComparison.Ordinal)))
        {
            await browser.SubmitAsync("/accounts");
        }

        return browser;
    }

    public async Task AssertLinkedAsync(string companyId, string connectionId, LinkBrowser browser)
    {
        var linked = await Alpha().GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.True(linked["status"]!.GetValue<string>() == "Linked", $"Not linked: {linked.ToJsonString()}\n{browser.Location}\n{browser.Html}");
    }

    /// <summary>The simulator's control API, as its client.</summary>
    public HttpClient PlaidControl()
    {
        var client = new HttpClient { BaseAddress = new Uri(SimulatorBase + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{Secret}")));
        return client;
    }

    public async Task<JsonNode> ItemAsync(string username) =>
        await PlaidControl().GetAsync($"control/users/{Uri.EscapeDataString(username)}/item").ExpectAsync(HttpStatusCode.OK);

    public async Task<JsonNode> ControlAsync(string username, string path, object? body = null) =>
        await PlaidControl().PostJsonAsync($"control/users/{Uri.EscapeDataString(username)}/{path}", body ?? new { }).ExpectAsync(HttpStatusCode.OK);

    public async Task<int> CallsAsync(string endpoint) =>
        (await PlaidControl().GetAsync("control/calls").ExpectAsync(HttpStatusCode.OK))[endpoint]?.GetValue<int>() ?? 0;
}

public sealed class SqlitePlaidApp() : PlaidApp(DatabaseProvider.Sqlite);

public sealed class PostgresPlaidApp() : PlaidApp(DatabaseProvider.Postgres);
