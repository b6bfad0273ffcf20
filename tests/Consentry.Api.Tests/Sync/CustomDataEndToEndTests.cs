using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Contract;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Platforms;
using Consentry.Api.Tests.Platforms.QuickBooks;
using Consentry.Api.Tests.Platforms.Xero;
using Consentry.Core.Consents;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Sync;

/// <summary>
/// Custom data types and supplemental data end to end, through the simulators and the sandbox: the client configures
/// them, the customer links, the reads complete, and Codat's endpoints serve the configured fields (the custom
/// records held to Codat's <c>CustomDataTypeRecords</c>, the standard records still in Codat's accounting shapes).
/// Each test signs in as its own user.
/// </summary>
public static class CustomDataChecks
{
    /// <summary>Queues a custom data type on a connection, waits until it completed, and returns every record (validated against Codat's document).</summary>
    public static async Task<JsonArray> ReadCustomAsync(SyncApp app, string companyId, string connectionId, string identifier)
    {
        var session = new ContractSession(app);
        await session.CallAsync("POST", "/companies/{companyId}/connections/{connectionId}/data/queue/custom/{customDataIdentifier}",
            $"/companies/{companyId}/connections/{connectionId}/data/queue/custom/{identifier}", HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s[$"custom/{identifier}"]?["currentStatus"]?.GetValue<string>() is "Complete" or "FetchError" or "NotSupported" or "AuthError");
        var status = await app.Alpha().GetAsync($"/companies/{companyId}/dataStatus").ExpectAsync(HttpStatusCode.OK);
        Assert.True(status[$"custom/{identifier}"]!["currentStatus"]!.GetValue<string>() == "Complete", status.ToJsonString());
        var page = await session.CallAsync("GET", "/companies/{companyId}/connections/{connectionId}/data/custom/{customDataIdentifier}",
            $"/companies/{companyId}/connections/{connectionId}/data/custom/{identifier}?pageSize=5000", HttpStatusCode.OK);
        var records = page!["results"]!.AsArray();
        Assert.Equal(records.Count, page["totalResults"]!.GetValue<int>());
        Assert.NotEmpty(records);
        return records;
    }

    public static async Task ConfigureAsync(ConsentryApp app, string path, object body) =>
        await new ContractSession(app).CallAsync("PUT", path.Contains("/custom/", StringComparison.Ordinal)
            ? "/integrations/{platformKey}/dataTypes/custom/{customDataIdentifier}"
            : "/integrations/{platformKey}/dataTypes/{dataType}/supplementalDataConfig", path, HttpStatusCode.OK, body);
}

public abstract class XeroCustomDataTests(XeroApp app)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task CustomAccountsAndInvoiceLines_AndSupplementalInvoiceFields_ComeFromXero()
    {
        await CustomDataChecks.ConfigureAsync(app, "/integrations/gbol/dataTypes/custom/xeroAccounts", new
        {
            dataSource = "/api.xro/2.0/Accounts",
            requiredData = new { code = "$.Code", accountId = "$.AccountID", type = "$.Type", taxType = "$.TaxType" },
            keyBy = new[] { "$.AccountID" },
        });
        await CustomDataChecks.ConfigureAsync(app, "/integrations/gbol/dataTypes/custom/xeroInvoiceLines", new
        {
            dataSource = "/api.xro/2.0/Invoices",
            requiredData = new { invNumber = "$.InvoiceNumber", type = "$.Type", lines = "$.LineItems[*]", amounts = "$.LineItems[*].LineAmount" },
            keyBy = new[] { "$.InvoiceID" },
            sourceModifiedDate = new[] { "$.UpdatedDateUTC" },
        });
        await CustomDataChecks.ConfigureAsync(app, "/integrations/gbol/dataTypes/invoices/supplementalDataConfig", new
        {
            supplementalDataConfig = new { xeroInvoiceFields = new { dataSource = "/Invoices", pullData = new { reference = "Reference", hasAttachments = "HasAttachments" } } },
        });

        var user = "user_good+" + _suffix;
        var (companyId, connectionId) = await app.LinkXeroAsync(user);
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, XeroApp.DataTypes));

        var accounts = await CustomDataChecks.ReadCustomAsync(app, companyId, connectionId, "xeroAccounts");
        var chart = await app.Alpha().GetAsync($"/companies/{companyId}/data/accounts?pageSize=5000").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(chart["totalResults"]!.GetValue<int>(), accounts.Count);
        Assert.All(accounts, a =>
        {
            Assert.Equal(a!["id"]!.GetValue<string>(), a["content"]!["accountId"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(a["content"]!["type"]!.GetValue<string>()));
        });

        // Paged through Xero (25 a page here): every invoice of the organisation, with its lines as arrays.
        var lines = await CustomDataChecks.ReadCustomAsync(app, companyId, connectionId, "xeroInvoiceLines");
        var stats = await app.OrgStatsAsync(user);
        Assert.Equal(stats["invoices"]!.GetValue<int>(), lines.Count);
        Assert.All(lines, l =>
        {
            Assert.NotEmpty(l!["content"]!["lines"]!.AsArray());
            Assert.Equal(l["content"]!["lines"]!.AsArray().Count, l["content"]!["amounts"]!.AsArray().Count);
            Assert.NotNull(l["sourceModifiedDate"]);
        });

        var invoices = await app.Alpha().GetAsync($"/companies/{companyId}/data/invoices?pageSize=500").ExpectAsync(HttpStatusCode.OK);
        Assert.All(invoices["results"]!.AsArray(), i =>
        {
            var fields = i!["supplementalData"]!["content"]!["xeroInvoiceFields"]!.AsObject();
            Assert.True(fields.ContainsKey("reference") && fields.ContainsKey("hasAttachments"));
            Assert.Empty(VendorDocuments.ValidateCodat(i, "AccountingInvoice"));
        });
        Assert.Contains(invoices["results"]!.AsArray(), i => i!["supplementalData"]!["content"]!["xeroInvoiceFields"]!["hasAttachments"] is JsonValue);
    }
}

public sealed class XeroCustomDataTests_Sqlite(SqliteXeroApp app) : XeroCustomDataTests(app), IClassFixture<SqliteXeroApp>;

public sealed class XeroCustomDataTests_Postgres(PostgresXeroApp app) : XeroCustomDataTests(app), IClassFixture<PostgresXeroApp>;

public abstract class QuickBooksCustomDataTests(QuickBooksApp app)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task CustomAccountsByQuery_AndSupplementalSalesTerms_ComeFromQuickBooks()
    {
        await CustomDataChecks.ConfigureAsync(app, "/integrations/qhyg/dataTypes/custom/qboAccounts", new
        {
            dataSource = "/query?query=select * from Account",
            requiredData = new { id = "$.Id", currentBalance = "$.CurrentBalance", subAccount = "$.SubAccount" },
            keyBy = new[] { "$.Id" },
            sourceModifiedDate = new[] { "$.MetaData.LastUpdatedTime" },
        });
        await CustomDataChecks.ConfigureAsync(app, "/integrations/qhyg/dataTypes/invoices/supplementalDataConfig", new
        {
            supplementalDataConfig = new { qboInvoiceFields = new { dataSource = "/Invoice", pullData = new { salesTerm = "SalesTermRef.value" } } },
        });

        var (companyId, connectionId, _) = await app.LinkQuickBooksAsync("user_good+" + _suffix);
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, QuickBooksApp.DataTypes));

        var accounts = await CustomDataChecks.ReadCustomAsync(app, companyId, connectionId, "qboAccounts");
        var chart = await app.Alpha().GetAsync($"/companies/{companyId}/data/accounts?pageSize=5000").ExpectAsync(HttpStatusCode.OK);
        // The client's own statement: QuickBooks answers only active accounts to it, as Intuit does without an Active clause.
        Assert.InRange(accounts.Count, 1, chart["totalResults"]!.GetValue<int>());
        Assert.All(accounts, a =>
        {
            Assert.Equal(a!["id"]!.GetValue<string>(), a["content"]!["id"]!.GetValue<string>());
            Assert.NotNull(a["content"]!["currentBalance"]);
            Assert.NotNull(a["sourceModifiedDate"]);
        });

        var invoices = await app.Alpha().GetAsync($"/companies/{companyId}/data/invoices?pageSize=500").ExpectAsync(HttpStatusCode.OK);
        Assert.NotEmpty(invoices["results"]!.AsArray());
        Assert.All(invoices["results"]!.AsArray(), i =>
        {
            Assert.Equal("3", i!["supplementalData"]!["content"]!["qboInvoiceFields"]!["salesTerm"]!.GetValue<string>());
            Assert.Empty(VendorDocuments.ValidateCodat(i, "AccountingInvoice"));
        });
    }
}

public sealed class QuickBooksCustomDataTests_Sqlite(SqliteQuickBooksApp app) : QuickBooksCustomDataTests(app), IClassFixture<SqliteQuickBooksApp>;

public sealed class QuickBooksCustomDataTests_Postgres(PostgresQuickBooksApp app) : QuickBooksCustomDataTests(app), IClassFixture<PostgresQuickBooksApp>;

public abstract class SandboxCustomDataTests(SyncApp app)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task CustomAccounts_AndSupplementalAccountFields_ComeFromTheSandbox()
    {
        await CustomDataChecks.ConfigureAsync(app, "/integrations/sbac/dataTypes/custom/sandboxAccounts", new
        {
            dataSource = "/accounts",
            requiredData = new { code = "$.nominalCode", name = "$.name" },
            keyBy = new[] { "$.id" },
            sourceModifiedDate = new[] { "$.modifiedDate" },
        });
        await CustomDataChecks.ConfigureAsync(app, "/integrations/sbac/dataTypes/chartOfAccounts/supplementalDataConfig", new
        {
            supplementalDataConfig = new { balances = new { dataSource = "/accounts", pullData = new { currentBalance = "currentBalance" } } },
        });

        var (companyId, connectionId) = await app.LinkAsync("sbac", "user_good+" + _suffix);
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, "chartOfAccounts"));

        var accounts = await CustomDataChecks.ReadCustomAsync(app, companyId, connectionId, "sandboxAccounts");
        var chart = await app.Alpha().GetAsync($"/companies/{companyId}/data/accounts?pageSize=5000").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(chart["totalResults"]!.GetValue<int>(), accounts.Count);
        var byId = chart["results"]!.AsArray().ToDictionary(a => a!["id"]!.GetValue<string>());
        Assert.All(accounts, a => Assert.Equal(byId[a!["id"]!.GetValue<string>()]!["name"]!.GetValue<string>(), a["content"]!["name"]!.GetValue<string>()));
        Assert.All(chart["results"]!.AsArray(), a => Assert.True(a!["supplementalData"]!["content"]!["balances"]!["currentBalance"] is JsonValue));

        // A second read of the custom type updates the same records: keyed by keyBy, never duplicated.
        var again = await CustomDataChecks.ReadCustomAsync(app, companyId, connectionId, "sandboxAccounts");
        Assert.Equal(accounts.Count, again.Count);
    }

    [Fact]
    public async Task CustomData_WithOnlyAProductConsent_Answers451()
    {
        await CustomDataChecks.ConfigureAsync(app, "/integrations/sbac/dataTypes/custom/consentedAccounts", new
        {
            dataSource = "/accounts", requiredData = new { code = "$.nominalCode" }, keyBy = new[] { "$.id" },
        });
        var (companyId, connectionId) = await app.LinkAsync("sbac", "user_good+" + _suffix);
        await app.WithDbAsync(async db =>
        {
            // The customer's consent covers one product's data types only, not everything the platform offers.
            var general = await db.ConnectionConsents.IgnoreQueryFilters().SingleAsync(c => c.ConnectionId == Guid.Parse(connectionId));
            db.ConnectionConsents.Remove(general);
            db.ConnectionConsents.Add(new ConnectionConsent
            {
                ConnectionId = general.ConnectionId, ProductIdentifier = "lending", ClientId = general.ClientId, CompanyId = general.CompanyId,
                Status = ConsentStatus.Active, DataTypes = ["chartOfAccounts"], LastRecordId = general.LastRecordId, Updated = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

        var error = await new ContractSession(app).CallAsync("POST", "/companies/{companyId}/connections/{connectionId}/data/queue/custom/{customDataIdentifier}",
            $"/companies/{companyId}/connections/{connectionId}/data/queue/custom/consentedAccounts", HttpStatusCode.UnavailableForLegalReasons);
        Assert.Contains("consent", error!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

public sealed class SandboxCustomDataTests_Sqlite(SqliteSyncApp app) : SandboxCustomDataTests(app), IClassFixture<SqliteSyncApp>;

public sealed class SandboxCustomDataTests_Postgres(PostgresSyncApp app) : SandboxCustomDataTests(app), IClassFixture<PostgresSyncApp>;
