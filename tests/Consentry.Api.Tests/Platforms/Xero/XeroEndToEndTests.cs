using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;

namespace Consentry.Api.Tests.Platforms.Xero;

/// <summary>
/// Xero end to end over real HTTP: the customer links through Consentry's Link pages and the simulator's login and
/// consent pages, the reads of every type complete, and Codat's data endpoints serve Xero's records in Codat's shapes.
/// Each test signs in as its own user, so data and controls never collide.
/// </summary>
public abstract class XeroEndToEndTests(XeroApp app)
{
    private static readonly Dictionary<string, (string Path, string Schema)> Served = new(StringComparer.Ordinal)
    {
        ["chartOfAccounts"] = ("accounts", "AccountingAccount"),
        ["customers"] = ("customers", "AccountingCustomer"),
        ["suppliers"] = ("suppliers", "AccountingSupplier"),
        ["invoices"] = ("invoices", "AccountingInvoice"),
        ["bills"] = ("bills", "AccountingBill"),
        ["payments"] = ("payments", "AccountingPayment"),
    };

    private readonly HttpClient _api = app.Alpha();
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Link_ReadsEveryType_AndServesThemInCodatsShape()
    {
        var user = "user_good+" + _suffix;
        var (companyId, _) = await app.LinkXeroAsync(user);

        var status = await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, XeroApp.DataTypes));
        Assert.Equal(XeroApp.DataTypes.Order(), status.AsObject().Select(p => p.Key).Order());

        var info = await _api.GetAsync($"/companies/{companyId}/data/info").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Demo Company (UK)", info["companyName"]!.GetValue<string>());
        Assert.Empty(VendorDocuments.ValidateCodat(info, "AccountingCompanyInfo"));

        foreach (var (dataType, (path, schema)) in Served)
        {
            var page = await _api.GetAsync($"/companies/{companyId}/data/{path}?pageSize=500").ExpectAsync(HttpStatusCode.OK);
            var records = page["results"]!.AsArray();
            Assert.True(records.Count > 0, dataType);
            Assert.All(records, r => Assert.Empty(VendorDocuments.ValidateCodat(r, schema)));
        }

        // Every sales invoice and bill the organisation has, each in its own type; voided and deleted ones as Codat shows them.
        var stats = await app.OrgStatsAsync(user);
        var invoices = await TotalAsync(companyId, "invoices");
        var bills = await TotalAsync(companyId, "bills");
        Assert.Equal(stats["invoices"]!.GetValue<int>(), invoices + bills);
        Assert.Equal(60, invoices);
        var deleted = await _api.GetAsync($"/companies/{companyId}/data/invoices?pageSize=500&query={Uri.EscapeDataString("status=Void")}").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(deleted["results"]!.AsArray(), i => i!["metadata"]!["isDeleted"]!.GetValue<bool>());
        Assert.Contains(deleted["results"]!.AsArray(), i => !i!["metadata"]!["isDeleted"]!.GetValue<bool>());
        var archived = await _api.GetAsync($"/companies/{companyId}/data/customers?query={Uri.EscapeDataString("status=Archived")}").ExpectAsync(HttpStatusCode.OK);
        Assert.True(archived["totalResults"]!.GetValue<int>() > 0);

        // The query language works on Xero's records like on any other.
        var paid = await _api.GetAsync($"/companies/{companyId}/data/invoices?query={Uri.EscapeDataString("status=Paid&&totalAmount>100")}").ExpectAsync(HttpStatusCode.OK);
        Assert.All(paid["results"]!.AsArray(), i => Assert.Equal("Paid", i!["status"]!.GetValue<string>()));
        var invoice = paid["results"]![0]!;
        var one = await _api.GetAsync($"/companies/{companyId}/data/invoices/{invoice["id"]!.GetValue<string>()}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(invoice["invoiceNumber"]!.GetValue<string>(), one["invoiceNumber"]!.GetValue<string>());
        Assert.StartsWith("INV-", one["invoiceNumber"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("GBP", one["currency"]!.GetValue<string>());

        // Every call carried the tenant (the simulator answers 403 otherwise) and paged: customers took more than one call.
        Assert.True(stats["callsByResource"]!["Contacts"]!.GetValue<int>() >= 3);
    }

    [Fact]
    public async Task TwoOrganisations_TheCustomerChoosesOne_TheOtherIsReleased()
    {
        var user = "user_multi+" + _suffix;
        var (companyId, _) = await app.LinkXeroAsync(user, connect: [1, 2], choose: 2);

        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, XeroApp.DataTypes));
        var info = await _api.GetAsync($"/companies/{companyId}/data/info").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Demo Company (NZ) Ltd", info["companyName"]!.GetValue<string>());

        // Organisation 1 was disconnected at Xero (DELETE /connections/{id}); organisation 2 is the one read.
        Assert.False((await app.OrgStatsAsync(user, 1))["connected"]!.GetValue<bool>());
        Assert.Equal(0, (await app.OrgStatsAsync(user, 1))["calls"]!.GetValue<int>());
        var chosen = await app.OrgStatsAsync(user, 2);
        Assert.True(chosen["connected"]!.GetValue<bool>());
        Assert.True(chosen["calls"]!.GetValue<int>() >= XeroApp.DataTypes.Length);
    }

    [Fact]
    public async Task SimulatedXero_IsEnabledAndMarkedSimulated()
    {
        var xero = await _api.GetAsync("/integrations/gbol").ExpectAsync(HttpStatusCode.OK);
        Assert.True(xero["enabled"]!.GetValue<bool>());
        var settings = await _api.GetAsync("/integrations/gbol/settings").ExpectAsync(HttpStatusCode.OK);
        Assert.True(settings["simulated"]!.GetValue<bool>());
    }

    private async Task<int> TotalAsync(string companyId, string path) =>
        (await _api.GetAsync($"/companies/{companyId}/data/{path}?pageSize=1").ExpectAsync(HttpStatusCode.OK))["totalResults"]!.GetValue<int>();
}

public sealed class XeroEndToEndTests_Sqlite(SqliteXeroApp app) : XeroEndToEndTests(app), IClassFixture<SqliteXeroApp>;

public sealed class XeroEndToEndTests_Postgres(PostgresXeroApp app) : XeroEndToEndTests(app), IClassFixture<PostgresXeroApp>;
