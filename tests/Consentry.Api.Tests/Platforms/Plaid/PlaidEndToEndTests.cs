using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;

namespace Consentry.Api.Tests.Platforms.Plaid;

/// <summary>
/// Plaid end to end over real HTTP: the customer links through Consentry's Link page and the simulator's Hosted Link
/// pages, twelve months of transactions, the accounts and their balances are read and served in Codat's banking shapes;
/// an item that needs the customer deauthorizes the connection, update mode re-consents on the same connection id, and
/// deleting the connection removes the item at Plaid. Each test signs in as its own user.
/// </summary>
public abstract class PlaidEndToEndTests(PlaidApp app) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Schemas = new(StringComparer.Ordinal)
    {
        ["banking-accounts"] = "Account", ["banking-accountBalances"] = "AccountBalance", ["banking-transactions"] = "Transaction",
    };

    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Link_ReadsTwelveMonths_AndServesCodatsBankingShapes()
    {
        var (companyId, connectionId) = await app.LinkPlaidAsync(_user);
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, PlaidApp.DataTypes));

        foreach (var (dataType, schema) in Schemas)
        {
            var records = await AllAsync(companyId, connectionId, dataType);
            Assert.True(records.Count > 0, dataType);
            Assert.All(records, r => Assert.Empty(PlaidDocuments.ValidateBanking(r, schema)));
        }

        var accounts = await AllAsync(companyId, connectionId, "banking-accounts");
        Assert.Equal(["Credit", "Debit", "Debit"], accounts.Select(a => a!["type"]!.GetValue<string>()).Order());
        Assert.All(accounts, a => Assert.Equal("First Platypus Bank", a!["institution"]!["name"]!.GetValue<string>()));

        // Every transaction Plaid has, over the twelve months asked for, with Codat's sign (money out is negative).
        var transactions = await AllAsync(companyId, connectionId, "banking-transactions");
        Assert.Equal((await app.ItemAsync(_user))["transactions"]!.GetValue<int>(), transactions.Count);
        var dates = transactions.Select(t => t!["authorizedDate"]!.GetValue<DateTime>()).ToList();
        Assert.InRange((dates.Max() - dates.Min()).TotalDays, 330, 366);
        Assert.Contains(transactions, t => t!["description"]!.GetValue<string>() == "ACME PAYROLL" && t["amount"]!.GetValue<decimal>() == 2500m);
        Assert.All(transactions.Where(t => t!["description"]!.GetValue<string>() == "Starbucks"), t => Assert.True(t!["amount"]!.GetValue<decimal>() < 0));
        Assert.Contains(transactions, t => t!["transactionCategoryRef"]?["id"]?.GetValue<string>() == "FOOD_AND_DRINK_COFFEE");
    }

    [Fact]
    public async Task ItemLoginRequired_Deauthorizes_UpdateModeReconsentsTheSameConnection_AndDeleteRemovesTheItem()
    {
        await SubscribeAsync("connection.disconnected", "connection.reconnected");
        var (companyId, connectionId) = await app.LinkPlaidAsync(_user, tags: new { user = _user });
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, PlaidApp.DataTypes));
        var itemId = (await app.ItemAsync(_user))["itemId"]!.GetValue<string>();

        await app.ControlAsync(_user, "item/error", new { code = "ITEM_LOGIN_REQUIRED" });
        await _api.PostAsync($"/companies/{companyId}/data/queue/banking-transactions", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["banking-transactions"]!["currentStatus"]!.GetValue<string>() == "AuthError");
        var gone = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Deauthorized", gone["status"]!.GetValue<string>());
        Assert.Contains("ITEM_LOGIN_REQUIRED", gone["dataConnectionErrors"]!.ToJsonString(), StringComparison.Ordinal);
        await _receiver.WaitForAsync(r => r.Any(e => e.EventType == "connection.disconnected"));

        // The same linkUrl re-consents in Plaid's update mode: only the sign-in, the same item and connection id.
        var updatesBefore = await app.CallsAsync("/item/public_token/exchange");
        using var browser = await app.HostedLinkAsync($"{app.BaseUrl}/link/companies/{companyId}/connections/{connectionId}/start", _user);
        await app.AssertLinkedAsync(companyId, connectionId, browser);
        await _receiver.WaitForAsync(r => r.Any(e => e.EventType == "connection.reconnected"));
        var item = await app.ItemAsync(_user);
        Assert.Equal(itemId, item["itemId"]!.GetValue<string>());
        Assert.Null(item["error"]);
        Assert.Equal(updatesBefore, await app.CallsAsync("/item/public_token/exchange"));

        var again = await _api.PostAsync($"/companies/{companyId}/data/queue/banking-transactions", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["banking-transactions"]!["latestSuccessfulSyncId"]?.GetValue<string>() == again["id"]!.GetValue<string>());

        await _api.DeleteAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.True((await app.ItemAsync(_user))["removed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SimulatedPlaid_IsEnabledAndMarkedSimulated()
    {
        var plaid = await _api.GetAsync("/integrations/suuo").ExpectAsync(HttpStatusCode.OK);
        Assert.True(plaid["enabled"]!.GetValue<bool>());
        Assert.True((await _api.GetAsync("/integrations/suuo/settings").ExpectAsync(HttpStatusCode.OK))["simulated"]!.GetValue<bool>());
    }

    private async Task SubscribeAsync(params string[] eventTypes) =>
        await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes, companyTags = new[] { $"user:{_user}" } }).ExpectAsync(HttpStatusCode.Created);

    private async Task<List<JsonNode?>> AllAsync(string companyId, string connectionId, string dataType)
    {
        var records = new List<JsonNode?>();
        for (var page = 1; ; page++)
        {
            var body = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}/data/{dataType}?page={page}&pageSize=100").ExpectAsync(HttpStatusCode.OK);
            var results = body["results"]!.AsArray();
            records.AddRange(results.Select(r => r?.DeepClone()));
            if (results.Count < 100)
            {
                return records;
            }
        }
    }
}

public sealed class PlaidEndToEndTests_Sqlite(SqlitePlaidApp app) : PlaidEndToEndTests(app), IClassFixture<SqlitePlaidApp>;

public sealed class PlaidEndToEndTests_Postgres(PostgresPlaidApp app) : PlaidEndToEndTests(app), IClassFixture<PostgresPlaidApp>;
