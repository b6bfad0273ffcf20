using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;

namespace Consentry.Api.Tests.Platforms.QuickBooks;

/// <summary>
/// QuickBooks Online end to end over real HTTP: the customer links through the Link page and Intuit's (simulated) sign-in
/// and company chooser, every data type is read to Complete through the query endpoint, and Codat's data endpoints
/// serve the records in Codat's shapes. Each test signs in as its own user variant, so companies never collide.
/// </summary>
public abstract class QuickBooksEndToEndTests(QuickBooksApp app)
{
    private static readonly Dictionary<string, (string Path, string Schema)> Served = new()
    {
        ["chartOfAccounts"] = ("accounts", "AccountingAccount"),
        ["customers"] = ("customers", "AccountingCustomer"),
        ["suppliers"] = ("suppliers", "AccountingSupplier"),
        ["invoices"] = ("invoices", "AccountingInvoice"),
        ["bills"] = ("bills", "AccountingBill"),
        ["payments"] = ("payments", "AccountingPayment"),
    };

    private readonly HttpClient _api = app.Alpha();

    [Fact]
    public async Task Link_ChoosingTheSecondOfTwoCompanies_ReadsEveryType_AndServesCodatShapes()
    {
        var user = "user_multi+" + Guid.NewGuid().ToString("N")[..12];
        var (companyId, connectionId, realmId) = await app.LinkQuickBooksAsync(user, companyIndex: 1);

        var status = await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, QuickBooksApp.DataTypes));
        Assert.All(QuickBooksApp.DataTypes, t => Assert.Equal("Complete", status[t]!["currentStatus"]!.GetValue<string>()));

        // The chosen company, and only it, was read: every request named its realm.
        var realms = await app.CompaniesAsync(user);
        Assert.Equal(realms[1], realmId);
        var traffic = await app.TrafficAsync(realmId);
        Assert.True(traffic["requests"]!.GetValue<int>() >= QuickBooksApp.DataTypes.Length);
        Assert.Equal(0, (await app.TrafficAsync(realms[0]))["requests"]!.GetValue<int>());
        Assert.All(traffic["queries"]!.AsArray(), q => Assert.StartsWith("select * from ", q!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Contains(traffic["queries"]!.AsArray(), q => q!.GetValue<string>().Contains("Active in (true,false)", StringComparison.Ordinal));

        var info = await _api.GetAsync($"/companies/{companyId}/data/info").ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(VendorDocuments.ValidateCodat(info, "AccountingCompanyInfo"));
        var connection = await _api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("QuickBooks Online", connection["platformName"]!.GetValue<string>());

        // Codat's data endpoints serve every type, paged, each record valid against Codat's schema.
        foreach (var (dataType, (path, schema)) in Served)
        {
            var page = await _api.GetAsync($"/companies/{companyId}/data/{path}?pageSize=100").ExpectAsync(HttpStatusCode.OK);
            var results = page["results"]!.AsArray();
            Assert.True(results.Count > 0, $"{dataType} served no records");
            Assert.True(page["totalResults"]!.GetValue<int>() >= results.Count);
            foreach (var record in results)
            {
                Assert.Empty(VendorDocuments.ValidateCodat(record, schema));
                Assert.NotNull(record!["modifiedDate"]);
                Assert.NotNull(record["sourceModifiedDate"]);
            }
        }

        // The simulated small company has 60 invoices; all of them were read (the connector paged with STARTPOSITION).
        var invoices = await _api.GetAsync($"/companies/{companyId}/data/invoices?pageSize=1").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(60, invoices["totalResults"]!.GetValue<int>());
        var archived = await _api.GetAsync($"/companies/{companyId}/data/customers?query={Uri.EscapeDataString("status=Archived")}").ExpectAsync(HttpStatusCode.OK);
        Assert.NotNull(archived["totalResults"]);
        var byQuery = await _api.GetAsync($"/companies/{companyId}/data/invoices?query={Uri.EscapeDataString("status=Paid")}&pageSize=100").ExpectAsync(HttpStatusCode.OK);
        Assert.All(byQuery["results"]!.AsArray(), r => Assert.Equal("Paid", r!["status"]!.GetValue<string>()));
        Assert.True(byQuery["results"]!.AsArray().Count > 0);

        // A deletion (Change Data Capture gives only the id) marks the stored record on this database, keeping its fields.
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.ControlAsync($"companies/{realmId}/Invoice/7/delete");
        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["invoices"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>());
        var deleted = await _api.GetAsync($"/companies/{companyId}/data/invoices/7").ExpectAsync(HttpStatusCode.OK);
        Assert.True(deleted["metadata"]!["isDeleted"]!.GetValue<bool>());
        Assert.Empty(VendorDocuments.ValidateCodat(deleted, "AccountingInvoice"));
        Assert.Equal(60, (await _api.GetAsync($"/companies/{companyId}/data/invoices?pageSize=1").ExpectAsync(HttpStatusCode.OK))["totalResults"]!.GetValue<int>());
    }
}

public sealed class QuickBooksEndToEndTests_Sqlite(SqliteQuickBooksApp app) : QuickBooksEndToEndTests(app), IClassFixture<SqliteQuickBooksApp>;

public sealed class QuickBooksEndToEndTests_Postgres(PostgresQuickBooksApp app) : QuickBooksEndToEndTests(app), IClassFixture<PostgresQuickBooksApp>;
