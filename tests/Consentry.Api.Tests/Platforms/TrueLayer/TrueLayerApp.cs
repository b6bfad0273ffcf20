using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Contract;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Persistence;

namespace Consentry.Api.Tests.Platforms.TrueLayer;

/// <summary>
/// The host with <c>Consentry:Platforms:UseSimulators=true</c>: TrueLayer (<c>evqv</c>) is enabled and points at the
/// TrueLayer simulator this process serves under <c>/simulators/truelayer</c>. Consent expiry is checked often and
/// warned 7 days ahead, so a moved clock shows the warning and the expiry quickly.
/// </summary>
public class TrueLayerApp(DatabaseProvider provider) : SyncApp(provider)
{
    public const string ClientId = "truelayer-simulator-client";
    public const string ClientSecret = "truelayer-simulator-secret";

    public static readonly string[] DataTypes = ["banking-accounts", "banking-accountBalances", "banking-transactions"];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Consentry:Platforms:UseSimulators"] = "true",
        ["Consentry:Consents:PollMilliseconds"] = "100",
        ["Consentry:Consents:ExpiryWarning"] = "7.00:00:00",
    };

    public string SimulatorBase => $"{BaseUrl}/simulators/truelayer";

    /// <summary>The violations of <paramref name="record"/> against Codat's banking schema <paramref name="schema"/> (<c>Account</c>, <c>Transaction</c>…), undeclared properties included.</summary>
    public static IReadOnlyList<SchemaViolation> ValidateBanking(JsonNode? record, string schema) =>
        CodatDataDocuments.CheckRecord(CodatDataDocuments.Banking, record, schema);

    /// <summary>
    /// Walks Link as <paramref name="username"/>: Continue, TrueLayer's provider chooser (<paramref name="bank"/>), the
    /// bank's sign-in and consent. Creates a company and a connection, or re-consents through <paramref name="linkUrl"/>.
    /// </summary>
    public async Task<(string CompanyId, string ConnectionId)> LinkTrueLayerAsync(string username, string bank = "mock", object? tags = null,
        (string CompanyId, string ConnectionId)? again = null)
    {
        var api = Alpha();
        string companyId, connectionId, linkUrl;
        if (again is { } existing)
        {
            (companyId, connectionId) = existing;
            linkUrl = $"{BaseUrl}/link/companies/{companyId}/connections/{connectionId}/start";
        }
        else
        {
            companyId = await api.CreateCompanyAsync("Bank Customer Ltd", tags);
            var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "evqv" }).ExpectAsync(HttpStatusCode.OK);
            connectionId = connection["id"]!.GetValue<string>();
            linkUrl = connection["linkUrl"]!.GetValue<string>();
        }

        using var browser = Browser();
        await browser.GoAsync(new Uri(linkUrl).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");
        Assert.Contains("Choose your bank", browser.Html, StringComparison.Ordinal);
        Assert.Contains("Mock Bank", browser.Html, StringComparison.Ordinal);
        await browser.SubmitAsync("/auth/provider", new() { ["provider_id"] = bank });
        await browser.SubmitAsync("/auth/login", new() { ["username"] = username, ["password"] = "pass_good" });
        await browser.SubmitAsync("/auth/consent/allow");
        var linked = await api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.True(linked["status"]!.GetValue<string>() == "Linked", $"Not linked: {linked.ToJsonString()}\n{browser.Location}\n{browser.Html}");
        return (companyId, connectionId);
    }

    /// <summary>The simulator's control API, as its registered client.</summary>
    public HttpClient TrueLayerControl()
    {
        var client = new HttpClient { BaseAddress = new Uri(SimulatorBase + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}")));
        return client;
    }

    public async Task<JsonNode> StatsAsync(string username) =>
        await TrueLayerControl().GetAsync($"control/users/{Uri.EscapeDataString(username)}/stats").ExpectAsync(HttpStatusCode.OK);

    public async Task<JsonNode> BankAsync(string username, string bank = "mock") =>
        await TrueLayerControl().GetAsync($"control/users/{Uri.EscapeDataString(username)}/banks/{bank}").ExpectAsync(HttpStatusCode.OK);

    public async Task<JsonNode> ControlAsync(string username, string path, object? body = null) =>
        await TrueLayerControl().PostJsonAsync($"control/users/{Uri.EscapeDataString(username)}/{path}", body ?? new { }).ExpectAsync(HttpStatusCode.OK);
}

public sealed class SqliteTrueLayerApp() : TrueLayerApp(DatabaseProvider.Sqlite);

public sealed class PostgresTrueLayerApp() : TrueLayerApp(DatabaseProvider.Postgres);
