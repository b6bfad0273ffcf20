using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Contract;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Sync;

/// <summary>
/// The sync engine end to end over real HTTP: a sandbox journey, the reads it queues, the platform's data API, the
/// cache and Codat's data endpoints. Each test signs in as its own sandbox user (<c>user_good+…</c>), so data and test
/// controls never collide between tests.
/// </summary>
public abstract class SyncTests(SyncApp app) : IAsyncLifetime
{
    private static readonly string[] AccountingTypes = ["company", "chartOfAccounts", "customers", "invoices"];
    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Journey_ReadsEveryEnabledType_ToComplete_SendsReadCompleted_AndServesTheData()
    {
        await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "read.completed", "read.completed.initial" }, companyTags = new[] { $"user:{_user}" } })
            .ExpectAsync(HttpStatusCode.Created);
        var (companyId, connectionId) = await app.LinkAsync("sbac", _user, tags: new { user = _user });

        var status = await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, AccountingTypes));
        Assert.Equal(AccountingTypes.Order(), status.AsObject().Select(p => p.Key).Order());
        Assert.Empty(CodatSpec.Validator.Validate(status, "#/components/schemas/DataStatuses"));
        var invoicesStatus = status["invoices"]!;
        Assert.Equal(invoicesStatus["latestSyncId"]!.GetValue<string>(), invoicesStatus["latestSuccessfulSyncId"]!.GetValue<string>());

        var events = await _receiver.WaitForAsync(r => r.Count >= 2);
        Assert.Equal(["read.completed", "read.completed.initial"], events.Select(e => e.EventType).Order());
        foreach (var e in events)
        {
            Assert.Empty(CodatSpec.Validator.Validate(e.Json, "#/components/schemas/ReadCompletedWebhook"));
            var dataTypes = e.Json["payload"]!["dataTypes"]!.AsArray();
            Assert.Equal(AccountingTypes.Order(), dataTypes.Select(d => d!["dataType"]!.GetValue<string>()).Order());
            Assert.All(dataTypes, d => Assert.Equal("Complete", d!["status"]!.GetValue<string>()));
            Assert.All(dataTypes, d => Assert.Equal(connectionId, d!["connectionId"]!.GetValue<string>()));
        }

        // Every invoice the platform has is in the cache, in Codat's shape, paged.
        var platformTotal = await PlatformTotalAsync("invoices");
        var page = await _api.GetAsync($"/companies/{companyId}/data/invoices?pageSize=50&page=2").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(platformTotal, page["totalResults"]!.GetValue<int>());
        Assert.Equal(50, page["results"]!.AsArray().Count);
        var invoice = page["results"]![0]!;
        Assert.NotNull(invoice["customerRef"]!["id"]);
        Assert.NotNull(invoice["sourceModifiedDate"]);
        var one = await _api.GetAsync($"/companies/{companyId}/data/invoices/{invoice["id"]!.GetValue<string>()}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(invoice["invoiceNumber"]!.GetValue<string>(), one["invoiceNumber"]!.GetValue<string>());
        Assert.Equal(await RecordCountAsync(companyId, "invoices"), platformTotal);

        // The same query language as everywhere else.
        var paid = await _api.GetAsync($"/companies/{companyId}/data/invoices?pageSize=500&query={Uri.EscapeDataString("status=Paid&&totalAmount>100")}").ExpectAsync(HttpStatusCode.OK);
        Assert.All(paid["results"]!.AsArray(), i =>
        {
            Assert.Equal("Paid", i!["status"]!.GetValue<string>());
            Assert.True(i["totalAmount"]!.GetValue<decimal>() > 100);
        });
        Assert.InRange(paid["totalResults"]!.GetValue<int>(), 1, platformTotal - 1);
        var customerId = invoice["customerRef"]!["id"]!.GetValue<string>();
        var byCustomer = await _api.GetAsync($"/companies/{companyId}/data/invoices?query={Uri.EscapeDataString($"customerRef.id={customerId}")}").ExpectAsync(HttpStatusCode.OK);
        Assert.All(byCustomer["results"]!.AsArray(), i => Assert.Equal(customerId, i!["customerRef"]!["id"]!.GetValue<string>()));
        var recent = await _api.GetAsync($"/companies/{companyId}/data/invoices?pageSize=5&orderBy=-issueDate&query={Uri.EscapeDataString("issueDate>=2024-06-01")}").ExpectAsync(HttpStatusCode.OK);
        var dates = recent["results"]!.AsArray().Select(i => DateTime.Parse(i!["issueDate"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal)).ToList();
        Assert.NotEmpty(dates);
        Assert.Equal(dates.OrderDescending(), dates);
        Assert.All(dates, d => Assert.True(d >= new DateTime(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc)));

        var info = await _api.GetAsync($"/companies/{companyId}/data/info").ExpectAsync(HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(info["companyName"]!.GetValue<string>()));
        var accounts = await _api.GetAsync($"/companies/{companyId}/data/accounts?query=type%3DIncome").ExpectAsync(HttpStatusCode.OK);
        Assert.All(accounts["results"]!.AsArray(), a => Assert.Equal("Income", a!["type"]!.GetValue<string>()));

        var company = await _api.GetAsync($"/companies/{companyId}").ExpectAsync(HttpStatusCode.OK);
        Assert.NotNull(company["lastSync"]);
        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.NotNull(connection["lastSync"]);

        var history = await _api.GetAsync($"/companies/{companyId}/data/history?query=dataType%3Dinvoices").ExpectAsync(HttpStatusCode.OK);
        var operation = Assert.Single(history["results"]!.AsArray())!;
        Assert.Empty(CodatSpec.Validator.Validate(history, "#/components/schemas/PullOperations"));
        Assert.Equal("Complete", operation["status"]!.GetValue<string>());
        Assert.Equal(100, operation["progress"]!.GetValue<int>());
        Assert.True(operation["isCompleted"]!.GetValue<bool>());
        Assert.False(operation["isErrored"]!.GetValue<bool>());
        var byId = await _api.GetAsync($"/companies/{companyId}/data/history/{operation["id"]!.GetValue<string>()}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(operation.ToJsonString(), byId.ToJsonString());
    }

    [Fact]
    public async Task BankingAndCommerce_AreServedPerConnection_OnCodatsPaths()
    {
        var (companyId, bank) = await app.LinkAsync("sbbk", _user);
        var shop = await LinkAnotherAsync(companyId, "sbcm");
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s,
            "banking-accounts", "banking-accountBalances", "banking-transactions",
            "commerce-companyInfo", "commerce-customers", "commerce-products", "commerce-orders", "commerce-payments"));

        var transactions = await _api.GetAsync($"/companies/{companyId}/connections/{bank}/data/banking-transactions?pageSize=10&query={Uri.EscapeDataString("amount<0")}").ExpectAsync(HttpStatusCode.OK);
        Assert.All(transactions["results"]!.AsArray(), t => Assert.True(t!["amount"]!.GetValue<decimal>() < 0));
        var accounts = await _api.GetAsync($"/companies/{companyId}/connections/{bank}/data/banking-accounts").ExpectAsync(HttpStatusCode.OK);
        var accountId = accounts["results"]![0]!["id"]!.GetValue<string>();
        await _api.GetAsync($"/companies/{companyId}/connections/{bank}/data/banking-accounts/{accountId}").ExpectAsync(HttpStatusCode.OK);
        var balances = await _api.GetAsync($"/companies/{companyId}/connections/{bank}/data/banking-accountBalances").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(accounts["totalResults"]!.GetValue<int>(), balances["totalResults"]!.GetValue<int>());

        var orders = await _api.GetAsync($"/companies/{companyId}/connections/{shop}/data/commerce-orders?pageSize=1").ExpectAsync(HttpStatusCode.OK);
        Assert.True(orders["totalResults"]!.GetValue<int>() >= 3000);
        var info = await _api.GetAsync($"/companies/{companyId}/connections/{shop}/data/commerce-info").ExpectAsync(HttpStatusCode.OK);
        Assert.NotNull(info["companyName"]);
        foreach (var path in new[] { "commerce-customers", "commerce-products", "commerce-payments" })
        {
            var list = await _api.GetAsync($"/companies/{companyId}/connections/{shop}/data/{path}?pageSize=1").ExpectAsync(HttpStatusCode.OK);
            Assert.True(list["totalResults"]!.GetValue<int>() > 0, path);
        }

        // The bank's data is not the shop's: a connection sees only its own records.
        await _api.GetAsync($"/companies/{companyId}/connections/{shop}/data/banking-transactions").ExpectErrorAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task IncrementalRead_FetchesOnlyWhatChanged_AndAddsNewRecords()
    {
        var (companyId, _) = await app.LinkAsync("sbac", _user);
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, AccountingTypes));
        var before = await RecordCountAsync(companyId, "invoices");
        var requestsBefore = (await app.SandboxStatsAsync("sbac", _user))["dataRequests"]!.GetValue<int>();

        app.Time.Advance(TimeSpan.FromMinutes(1));
        var changes = await app.SandboxAsync("sbac", _user, "records", new { collection = "invoices", add = 3, change = 2 });
        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(CodatSpec.Validator.Validate(queued, "#/components/schemas/PullOperation"));
        Assert.Equal("invoices", queued["dataType"]!.GetValue<string>());
        var datasetId = Guid.Parse(queued["id"]!.GetValue<string>());
        await app.WaitForDataStatusAsync(companyId, s => s["invoices"]!["latestSuccessfulSyncId"]?.GetValue<string>() == datasetId.ToString());

        var dataset = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().SingleAsync(d => d.Id == datasetId));
        Assert.False(dataset.IsInitial);
        Assert.NotNull(dataset.ModifiedSince);
        Assert.Equal(5, dataset.RecordsRead);
        Assert.Equal(before + 3, await RecordCountAsync(companyId, "invoices"));
        // One page was enough for five records: the read did not page through the whole history again.
        Assert.Equal(requestsBefore + 1, (await app.SandboxStatsAsync("sbac", _user))["dataRequests"]!.GetValue<int>());
        foreach (var id in changes["changed"]!.AsArray().Concat(changes["added"]!.AsArray()))
        {
            var record = await _api.GetAsync($"/companies/{companyId}/data/invoices/{id!.GetValue<string>()}").ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(changes["modifiedDate"]!.GetValue<DateTime>(), record["sourceModifiedDate"]!.GetValue<DateTime>());
        }
    }

    [Fact]
    public async Task AccessTokenExpiringMidRead_IsRefreshedExactlyOnce_ForAllTheConnectionsReads()
    {
        var (companyId, _) = await app.LinkAsync("sbac", _user);
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, AccountingTypes));
        var refreshesBefore = (await app.SandboxStatsAsync("sbac", _user))["tokenRefreshes"]!.GetValue<int>();
        await app.SandboxAsync("sbac", _user, "expireAccessTokens");

        await _api.PostAsync($"/companies/{companyId}/data/all", null).ExpectAsync(HttpStatusCode.NoContent);
        var status = await app.WaitForDataStatusAsync(companyId, s => AccountingTypes.All(t => s[t]!["latestSyncId"]!.GetValue<string>() == s[t]!["latestSuccessfulSyncId"]?.GetValue<string>()
            && s[t]!["currentStatus"]!.GetValue<string>() == "Complete") && Reads(companyId) >= 8);

        Assert.Equal(refreshesBefore + 1, (await app.SandboxStatsAsync("sbac", _user))["tokenRefreshes"]!.GetValue<int>());
        Assert.All(AccountingTypes, t => Assert.Equal("Complete", status[t]!["currentStatus"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RevokedGrant_MakesTheConnectionDeauthorized_SendsDisconnected_AndKeepsTheCache()
    {
        await _api.PostJsonAsync("/webhooks", new { url = _receiver.Url(), eventTypes = new[] { "connection.disconnected" }, companyTags = new[] { $"user:{_user}" } })
            .ExpectAsync(HttpStatusCode.Created);
        var (companyId, connectionId) = await app.LinkAsync("sbac", _user, tags: new { user = _user });
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, AccountingTypes));
        await app.SandboxAsync("sbac", _user, "revokeGrants");

        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/customers", null).ExpectAsync(HttpStatusCode.OK);
        var status = await app.WaitForDataStatusAsync(companyId, s => s["customers"]!["latestSyncId"]!.GetValue<string>() == queued["id"]!.GetValue<string>()
            && s["customers"]!["currentStatus"]!.GetValue<string>() == "AuthError");

        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Deauthorized", connection["status"]!.GetValue<string>());
        Assert.Contains("refused the refresh token", connection["dataConnectionErrors"]!.ToJsonString(), StringComparison.Ordinal);
        var disconnected = (await _receiver.WaitForAsync(r => r.Count >= 1))[0];
        Assert.Equal("connection.disconnected", disconnected.EventType);
        Assert.Equal("Deauthorized", disconnected.Json["payload"]!["connection"]!["status"]!.GetValue<string>());
        Assert.NotNull(status["customers"]!["lastSuccessfulSync"]);

        // Deauthorized connections are not read, and what was read stays readable.
        await _api.PostAsync($"/companies/{companyId}/data/queue/invoices?connectionId={connectionId}", null).ExpectErrorAsync(HttpStatusCode.BadRequest, "Deauthorized");
        var invoices = await _api.GetAsync($"/companies/{companyId}/data/invoices?pageSize=1").ExpectAsync(HttpStatusCode.OK);
        Assert.True(invoices["totalResults"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task RateLimitedByThePlatform_WaitsRetryAfter_AndCompletes()
    {
        var (companyId, _) = await app.LinkAsync("sbac", _user);
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, AccountingTypes));
        await app.SandboxAsync("sbac", _user, "rateLimit", new { requests = 2, retryAfterSeconds = 1 });

        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/customers", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["customers"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>());

        Assert.Equal(2, (await app.SandboxStatsAsync("sbac", _user))["rateLimited"]!.GetValue<int>());
        var dataset = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().SingleAsync(d => d.Id == Guid.Parse(queued["id"]!.GetValue<string>())));
        Assert.Equal(2, dataset.RateLimitWaits);
        Assert.Equal(DatasetStatus.Complete, dataset.Status);
    }

    [Fact]
    public async Task TransientPlatformFailures_AreRetried_ThenAFetchErrorSaysWhy()
    {
        var (companyId, _) = await app.LinkAsync("sbac", _user);
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, AccountingTypes));

        // Two 503s: within the retries (3 by default), so the read completes.
        await app.SandboxAsync("sbac", _user, "failures", new { requests = 2, status = 503 });
        var retried = await _api.PostAsync($"/companies/{companyId}/data/queue/customers", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["customers"]!["latestSuccessfulSyncId"]?.GetValue<string>() == retried["id"]!.GetValue<string>());
        Assert.Equal(2, (await app.SandboxStatsAsync("sbac", _user))["failed"]!.GetValue<int>());

        // More failures than retries: the dataset ends FetchError with the platform's answer, and the cache is kept.
        await app.SandboxAsync("sbac", _user, "failures", new { requests = 50, status = 502 });
        var failing = await _api.PostAsync($"/companies/{companyId}/data/queue/customers", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["customers"]!["latestSyncId"]!.GetValue<string>() == failing["id"]!.GetValue<string>()
            && s["customers"]!["currentStatus"]!.GetValue<string>() == "FetchError");
        var operation = await _api.GetAsync($"/companies/{companyId}/data/history/{failing["id"]!.GetValue<string>()}").ExpectAsync(HttpStatusCode.OK);
        Assert.True(operation["isErrored"]!.GetValue<bool>());
        Assert.Contains("502", operation["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(6, (await app.SandboxStatsAsync("sbac", _user))["failed"]!.GetValue<int>());
        await _api.GetAsync($"/companies/{companyId}/data/customers?pageSize=1").ExpectAsync(HttpStatusCode.OK);
        await app.SandboxAsync("sbac", _user, "failures", new { requests = 0 });
    }

    [Fact]
    public async Task Schedule_ReReadsEachTypeAfterSyncScheduleHours_Incrementally()
    {
        var (companyId, _) = await app.LinkAsync("sbac", _user);
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, AccountingTypes));
        var first = await app.WaitForDataStatusAsync(companyId, _ => true);

        app.Time.Advance(TimeSpan.FromHours(25));
        var second = await app.WaitForDataStatusAsync(companyId, s => AccountingTypes.All(t =>
            s[t]!["latestSuccessfulSyncId"]?.GetValue<string>() is { } id && id != first[t]!["latestSuccessfulSyncId"]!.GetValue<string>()));

        var rereads = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters()
            .Where(d => d.CompanyId == Guid.Parse(companyId) && !d.IsInitial).ToListAsync());
        Assert.Equal(AccountingTypes.Order(), rereads.Select(d => d.DataType).Order());
        Assert.All(rereads, d => Assert.NotNull(d.ModifiedSince));
        Assert.All(AccountingTypes, t => Assert.Equal("Complete", second[t]!["currentStatus"]!.GetValue<string>()));
    }

    [Fact]
    public async Task UnlinkedConnections_AreNotRead_DeletingOneDeletesItsData()
    {
        var (companyId, connectionId) = await app.LinkAsync("sbac", _user);
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, AccountingTypes));
        await _api.PatchJsonAsync($"/companies/{companyId}/connections/{connectionId}", new { status = "Unlinked" }).ExpectAsync(HttpStatusCode.OK);

        await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null).ExpectErrorAsync(HttpStatusCode.BadRequest, "No Linked connection");
        await _api.PostAsync($"/companies/{companyId}/data/all", null).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(4, Reads(companyId));
        await _api.GetAsync($"/companies/{companyId}/data/customers?pageSize=1").ExpectAsync(HttpStatusCode.OK);

        await _api.DeleteAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, await app.WithDbAsync(db => db.Records.IgnoreQueryFilters().CountAsync(r => r.ConnectionId == Guid.Parse(connectionId))));
        await _api.GetAsync($"/companies/{companyId}/data/customers").ExpectErrorAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task UnlinkedDuringARead_TheReadStopsAtTheNextPage_AndKeepsWhatItStored()
    {
        await app.SandboxAsync("sbac", _user, "latency", new { milliseconds = 300 });
        var (companyId, connectionId) = await app.LinkAsync("sbac", _user);
        await app.WaitForDataStatusAsync(companyId, s => s["invoices"]?["currentStatus"]?.GetValue<string>() == "Fetching"
            && RecordCountAsync(companyId, "invoices").GetAwaiter().GetResult() > 0);

        await _api.PatchJsonAsync($"/companies/{companyId}/connections/{connectionId}", new { status = "Unlinked" }).ExpectAsync(HttpStatusCode.OK);
        var status = await app.WaitForDataStatusAsync(companyId, s => s["invoices"]!["currentStatus"]!.GetValue<string>() == "Cancelled");

        Assert.Null(status["invoices"]!["lastSuccessfulSync"]);
        var stored = await RecordCountAsync(companyId, "invoices");
        Assert.InRange(stored, 1, (await PlatformTotalAsync("invoices")) - 1);
        await app.SandboxAsync("sbac", _user, "latency", new { milliseconds = 0 });
    }

    [Fact]
    public async Task BadInput_GetsCodatErrors()
    {
        var companyId = await _api.CreateCompanyAsync("No Data Ltd");
        await _api.PostAsync($"/companies/{companyId}/data/queue/notAType", null).ExpectErrorAsync(HttpStatusCode.BadRequest, "not a data type");
        await _api.PostAsync($"/companies/{Guid.NewGuid()}/data/queue/invoices", null).ExpectErrorAsync(HttpStatusCode.NotFound);
        await _api.PostAsync($"/companies/{companyId}/data/queue/invoices?connectionId={Guid.NewGuid()}", null).ExpectErrorAsync(HttpStatusCode.NotFound);
        await _api.PostAsync($"/companies/{companyId}/data/queue/invoices?connectionId=nope", null).ExpectErrorAsync(HttpStatusCode.BadRequest);
        await _api.GetAsync($"/companies/{companyId}/data/history/{Guid.NewGuid()}").ExpectErrorAsync(HttpStatusCode.NotFound);
        await _api.GetAsync($"/companies/{companyId}/data/history?query=isCompleted%3Dtrue").ExpectErrorAsync(HttpStatusCode.BadRequest, "Could not resolve property isCompleted on Dataset");
        await _api.GetAsync($"/companies/{companyId}/data/invoices").ExpectErrorAsync(HttpStatusCode.Conflict, "has not been read");
        Assert.Empty((await _api.GetAsync($"/companies/{companyId}/dataStatus").ExpectAsync(HttpStatusCode.OK)).AsObject());

        var (linked, _) = await app.LinkAsync("sbac", _user);
        await app.WaitForDataStatusAsync(linked, s => SyncApp.AllComplete(s, AccountingTypes));
        await _api.GetAsync($"/companies/{linked}/data/invoices?query={Uri.EscapeDataString("totalAmount~12")}").ExpectErrorAsync(HttpStatusCode.BadRequest, "Operator '~' is not supported");
        await _api.GetAsync($"/companies/{linked}/data/invoices?query={Uri.EscapeDataString("issueDate>yesterday")}").ExpectErrorAsync(HttpStatusCode.BadRequest);
        await _api.GetAsync($"/companies/{linked}/data/invoices?query=colour%3Dred").ExpectErrorAsync(HttpStatusCode.BadRequest, "Could not resolve property colour on Invoice");
        await _api.GetAsync($"/companies/{linked}/data/invoices/not-an-invoice").ExpectErrorAsync(HttpStatusCode.NotFound);
        await _api.PostAsync($"/companies/{linked}/data/queue/banking-transactions", null).ExpectErrorAsync(HttpStatusCode.BadRequest, "provides banking-transactions");
        await app.Beta().GetAsync($"/companies/{linked}/data/invoices").ExpectErrorAsync(HttpStatusCode.NotFound);
        await app.Beta().GetAsync($"/companies/{linked}/dataStatus").ExpectErrorAsync(HttpStatusCode.NotFound);
    }

    private int Reads(string companyId) =>
        app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().CountAsync(d => d.CompanyId == Guid.Parse(companyId))).GetAwaiter().GetResult();

    private Task<string> LinkAnotherAsync(string companyId, string platformKey) => app.LinkConnectionAsync(companyId, platformKey, _user);

    private Task<int> RecordCountAsync(string companyId, string dataType) =>
        app.WithDbAsync(db => db.Records.IgnoreQueryFilters().CountAsync(r => r.CompanyId == Guid.Parse(companyId) && r.DataType == dataType));

    /// <summary>What the platform itself says it holds, asked with a token of our own.</summary>
    private async Task<int> PlatformTotalAsync(string collection)
    {
        var changes = await app.SandboxAsync("sbac", _user, "records", new { collection, add = 0, change = 0 });
        return changes["count"]!.GetValue<int>();
    }
}

public sealed class SyncTests_Sqlite(SqliteSyncApp app) : SyncTests(app), IClassFixture<SqliteSyncApp>;

public sealed class SyncTests_Postgres(PostgresSyncApp app) : SyncTests(app), IClassFixture<PostgresSyncApp>;
