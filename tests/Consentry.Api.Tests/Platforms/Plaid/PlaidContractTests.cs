using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;

namespace Consentry.Api.Tests.Platforms.Plaid;

/// <summary>
/// Every answer of the Plaid simulator the connector uses, held to Plaid's OpenAPI document
/// (<c>shared/reference/platforms/plaid/plaid-2020-09-14.yml</c>): the Hosted Link token calls, the exchange, accounts,
/// balances, <c>/transactions/sync</c> with added, modified and removed, <c>/item/get</c>, <c>/item/remove</c>, and the
/// error object with Plaid's HTTP statuses.
/// </summary>
public sealed class PlaidContractTests(SqlitePlaidApp app) : IClassFixture<SqlitePlaidApp>, IDisposable
{
    private const string Completion = "https://app.example/plaid/done";
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
    private readonly HttpClient _plaid = new() { BaseAddress = new Uri(app.SimulatorBase + "/") };

    public void Dispose() => _plaid.Dispose();

    [Fact]
    public async Task HostedLink_Exchange_AndEveryReadCall_MatchPlaidsDocument()
    {
        var created = await PostAsync("link/token/create", new
        {
            client_name = "Consentry", language = "en", country_codes = new[] { "US" }, user = new { client_user_id = "c-1" },
            products = new[] { "transactions" }, transactions = new { days_requested = 365 }, hosted_link = new { completion_redirect_uri = Completion },
        }, "LinkTokenCreateResponse");
        var linkToken = created["link_token"]!.GetValue<string>();
        var hosted = new Uri(created["hosted_link_url"]!.GetValue<string>());

        // Before the customer opens it, the token has no session.
        Assert.Empty((await PostAsync("link/token/get", new { link_token = linkToken }, "LinkTokenGetResponse"))["link_sessions"]!.AsArray());

        using var browser = app.Browser();
        await browser.GoAsync(hosted.PathAndQuery);
        await browser.SubmitAsync("/institution", new() { ["institution"] = PlaidApp.UsBank });
        await browser.SubmitAsync("/login", new() { ["username"] = _user, ["password"] = "pass_good" });
        await browser.SubmitAsync("/accounts");
        Assert.Equal(Completion, browser.Location.ToString());

        var session = await PostAsync("link/token/get", new { link_token = linkToken }, "LinkTokenGetResponse");
        var publicToken = session["link_sessions"]![0]!["results"]!["item_add_results"]![0]!["public_token"]!.GetValue<string>();
        Assert.Equal(publicToken, session["link_sessions"]![0]!["on_success"]!["public_token"]!.GetValue<string>());

        var exchanged = await PostAsync("item/public_token/exchange", new { public_token = publicToken }, "ItemPublicTokenExchangeResponse");
        var accessToken = exchanged["access_token"]!.GetValue<string>();
        await ErrorAsync("item/public_token/exchange", new { public_token = publicToken }, HttpStatusCode.BadRequest, "INVALID_PUBLIC_TOKEN");

        var accounts = await PostAsync("accounts/get", new { access_token = accessToken }, "AccountsGetResponse");
        Assert.All(accounts["accounts"]!.AsArray(), a => Assert.Empty(PlaidDocuments.ValidatePlaid(a, "AccountBase")));
        await PostAsync("accounts/balance/get", new { access_token = accessToken }, "AccountsGetResponse");
        await PostAsync("item/get", new { access_token = accessToken }, "ItemGetResponse");

        // The whole history in pages, then only what changed: added, modified and removed.
        var (added, cursor) = await SyncAllAsync(accessToken, null);
        Assert.True(added > 50, $"{added} transactions");
        var removed = await app.ControlAsync(_user, "transactions/remove", new { count = 2 });
        var modified = await app.ControlAsync(_user, "transactions/modify", new { count = 1 });
        await app.ControlAsync(_user, "transactions/add", new { count = 3 });
        var changes = await PostAsync("transactions/sync", new { access_token = accessToken, cursor, count = 500 }, "TransactionsSyncResponse");
        Assert.Equal(3, changes["added"]!.AsArray().Count);
        Assert.Equal(modified[0]!.GetValue<string>(), changes["modified"]![0]!["transaction_id"]!.GetValue<string>());
        Assert.Equal(removed.AsArray().Select(r => r!.GetValue<string>()).Order(), changes["removed"]!.AsArray().Select(r => r!["transaction_id"]!.GetValue<string>()).Order());
        Assert.All(changes["added"]!.AsArray(), t => Assert.Empty(PlaidDocuments.ValidatePlaid(t, "Transaction")));

        await PostAsync("item/remove", new { access_token = accessToken }, "ItemRemoveResponse");
        await ErrorAsync("accounts/get", new { access_token = accessToken }, HttpStatusCode.BadRequest, "INVALID_ACCESS_TOKEN");
    }

    [Fact]
    public async Task Errors_AreTheErrorObject_WithPlaidsStatuses()
    {
        await ErrorAsync("accounts/get", new { access_token = "access-sandbox-nope" }, HttpStatusCode.BadRequest, "INVALID_ACCESS_TOKEN");
        await ErrorAsync("link/token/create", new { language = "en" }, HttpStatusCode.BadRequest, "MISSING_FIELDS");
        var bad = await _plaid.PostJsonAsync("accounts/get", new { client_id = PlaidApp.ClientId, secret = "wrong", access_token = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("INVALID_API_KEYS", JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["error_code"]!.GetValue<string>());

        var (_, connectionId) = await app.LinkPlaidAsync(_user);
        Assert.NotEmpty(connectionId);
        var accessToken = await AccessTokenOfLatestItemAsync();
        await app.ControlAsync(_user, "item/failures", new { status = 429 });
        await ErrorAsync("transactions/sync", new { access_token = accessToken }, HttpStatusCode.TooManyRequests, "TRANSACTIONS_SYNC_LIMIT", "RATE_LIMIT_EXCEEDED");
        await app.ControlAsync(_user, "item/failures", new { status = 500 });
        await ErrorAsync("accounts/get", new { access_token = accessToken }, HttpStatusCode.InternalServerError, "INTERNAL_SERVER_ERROR", "API_ERROR");
        await app.ControlAsync(_user, "item/error", new { code = "ITEM_LOGIN_REQUIRED" });
        await ErrorAsync("accounts/balance/get", new { access_token = accessToken }, HttpStatusCode.BadRequest, "ITEM_LOGIN_REQUIRED", "ITEM_ERROR");
    }

    /// <summary>The item's access token, read back through a fresh Hosted Link session is not possible: use the exchange of a new one.</summary>
    private async Task<string> AccessTokenOfLatestItemAsync()
    {
        var created = await PostAsync("link/token/create", new
        {
            client_name = "Consentry", language = "en", country_codes = new[] { "US" }, user = new { client_user_id = "c-2" },
            products = new[] { "transactions" }, hosted_link = new { completion_redirect_uri = Completion },
        }, "LinkTokenCreateResponse");
        using var browser = app.Browser();
        await browser.GoAsync(new Uri(created["hosted_link_url"]!.GetValue<string>()).PathAndQuery);
        await browser.SubmitAsync("/institution", new() { ["institution"] = PlaidApp.UsBank });
        await browser.SubmitAsync("/login", new() { ["username"] = _user, ["password"] = "pass_good" });
        await browser.SubmitAsync("/accounts");
        var session = await PostAsync("link/token/get", new { link_token = created["link_token"]!.GetValue<string>() }, "LinkTokenGetResponse");
        var exchanged = await PostAsync("item/public_token/exchange",
            new { public_token = session["link_sessions"]![0]!["on_success"]!["public_token"]!.GetValue<string>() }, "ItemPublicTokenExchangeResponse");
        return exchanged["access_token"]!.GetValue<string>();
    }

    private async Task<(int Added, string Cursor)> SyncAllAsync(string accessToken, string? cursor)
    {
        var added = 0;
        while (true)
        {
            var page = await PostAsync("transactions/sync", new { access_token = accessToken, cursor, count = 40 }, "TransactionsSyncResponse");
            Assert.All(page["added"]!.AsArray(), t => Assert.Empty(PlaidDocuments.ValidatePlaid(t, "Transaction")));
            added += page["added"]!.AsArray().Count;
            cursor = page["next_cursor"]!.GetValue<string>();
            if (!page["has_more"]!.GetValue<bool>())
            {
                return (added, cursor);
            }
        }
    }

    private async Task<JsonNode> PostAsync(string path, object body, string schema)
    {
        var json = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(body))!.AsObject();
        json["client_id"] = PlaidApp.ClientId;
        json["secret"] = PlaidApp.Secret;
        var answer = await _plaid.PostJsonAsync(path, json).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(PlaidDocuments.ValidatePlaid(answer, schema));
        return answer;
    }

    private async Task ErrorAsync(string path, object body, HttpStatusCode status, string code, string? type = null)
    {
        var json = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(body))!.AsObject();
        json["client_id"] = PlaidApp.ClientId;
        json["secret"] = PlaidApp.Secret;
        var response = await _plaid.PostJsonAsync(path, json);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(status, response.StatusCode);
        Assert.Empty(PlaidDocuments.ValidatePlaid(error, "PlaidError"));
        Assert.Equal(code, error["error_code"]!.GetValue<string>());
        if (type is not null)
        {
            Assert.Equal(type, error["error_type"]!.GetValue<string>());
        }
    }
}
