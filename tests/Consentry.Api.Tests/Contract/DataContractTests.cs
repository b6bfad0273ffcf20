using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Contract;

/// <summary>
/// The data endpoints held to Codat's data documents, as <see cref="ContractTests"/> holds the Platform answers: every
/// GET path of Codat-Banking.json and Codat-Commerce.json is called on a sandbox bank and shop (list, then get-by-id for
/// an id the list returned), the accounting paths on the sandbox ledger, and each answer must validate against the
/// document's 200 schema (banking also against the Lending document the lending SDK is generated from) with no property
/// Codat's schema does not declare.
/// </summary>
public abstract partial class DataContractTests(SyncApp app)
{
    /// <summary>The data types Codat lists that the sandboxes do not offer: their paths answer 409 (never read) in Codat's error shape.</summary>
    private static readonly HashSet<string> NotInSandbox = new(StringComparer.Ordinal) { "commerce-transactions", "commerce-disputes" };

    private static readonly string[] NewTypes =
    [
        "banking-transactionCategories", "commerce-locations", "commerce-paymentMethods", "commerce-productCategories", "commerce-taxComponents",
    ];

    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task EveryBankingAndCommercePath_AnswersInCodatsSchema_ListAndGetById()
    {
        var (companyId, bank) = await app.LinkAsync("sbbk", _user, "Data Contract Ltd");
        var shop = await LinkAnotherAsync(companyId, "sbcm");
        foreach (var type in NewTypes)
        {
            await _api.PostAsync($"/companies/{companyId}/data/queue/{type}", null).ExpectAsync(HttpStatusCode.OK);
        }

        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, [.. NewTypes,
            "banking-accounts", "banking-accountBalances", "banking-transactions",
            "commerce-companyInfo", "commerce-customers", "commerce-products", "commerce-orders", "commerce-payments"]), seconds: 180);

        var problems = new List<string>();
        var called = 0;
        foreach (var (document, connectionId) in new[] { (CodatDataDocuments.Banking, bank), (CodatDataDocuments.Commerce, shop) })
        {
            foreach (var path in CodatDataDocuments.GetPaths(document).Where(p => p.Contains("{connectionId}", StringComparison.Ordinal)))
            {
                called++;
                problems.AddRange(await CheckPathAsync(document, path, companyId, connectionId));
            }
        }

        // Codat's older company-wide path of banking transactions.
        const string companyWide = "/companies/{companyId}/data/banking-transactions";
        var all = await _api.GetAsync($"/companies/{companyId}/data/banking-transactions?pageSize=5").ExpectAsync(HttpStatusCode.OK);
        problems.AddRange(CodatDataDocuments.Check(CodatDataDocuments.Banking, companyWide, all).Select(v => $"GET {companyWide}: {v}"));

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.True(called >= 28, $"Only {called} of Codat's banking and commerce paths were called.");
    }

    [Fact]
    public async Task BankingTransactions_OrderByPostedDate_AndQueryByIt_AsCodatDocuments()
    {
        var (companyId, bank) = await app.LinkAsync("sbbk", _user, "Posted Dates Ltd");
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, "banking-transactions"), seconds: 120);
        var data = $"/companies/{companyId}/connections/{bank}/data/banking-transactions";

        var newest = await _api.GetAsync($"{data}?pageSize=50&orderBy=-postedDate").ExpectAsync(HttpStatusCode.OK);
        var dates = newest["results"]!.AsArray().Select(t => Date(t!["postedDate"]!)).ToList();
        Assert.Equal(50, dates.Count);
        Assert.Equal(dates.OrderDescending(), dates);
        var oldest = await _api.GetAsync($"{data}?pageSize=1&orderBy=postedDate").ExpectAsync(HttpStatusCode.OK);
        Assert.True(Date(oldest["results"]![0]!["postedDate"]!) < dates[^1]);

        var cutoff = dates[^1].Date;
        var query = Uri.EscapeDataString($"postedDate>={cutoff:yyyy-MM-dd}");
        var recent = await _api.GetAsync($"{data}?pageSize=100&query={query}").ExpectAsync(HttpStatusCode.OK);
        Assert.All(recent["results"]!.AsArray(), t => Assert.True(Date(t!["postedDate"]!) >= cutoff));
        Assert.InRange(recent["totalResults"]!.GetValue<int>(), 50, 200);
        Assert.All(newest["results"]!.AsArray(), t => Assert.True(Date(t!["authorizedDate"]!) <= Date(t["postedDate"]!)));

        // Codat's fields only: the old date and status are gone, and asking for them is Codat's 400.
        Assert.All(newest["results"]!.AsArray(), t => Assert.Null(t!["date"]));
        await _api.GetAsync($"{data}?orderBy=-date").ExpectErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task BankingAccounts_HaveCodatsBalanceAndIdentifierTypes()
    {
        var (companyId, bank) = await app.LinkAsync("sbbk", _user, "Balances Ltd");
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, "banking-accounts", "banking-accountBalances"), seconds: 120);
        var data = $"/companies/{companyId}/connections/{bank}/data";
        var accounts = (await _api.GetAsync($"{data}/banking-accounts").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray();
        var balances = (await _api.GetAsync($"{data}/banking-accountBalances").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray();
        Assert.NotEmpty(accounts);
        foreach (var account in accounts)
        {
            Assert.Contains(account!["identifiers"]!["type"]!.GetValue<string>(), new[] { "Depository", "Credit" });
            var balance = Assert.Single(balances, b => b!["accountId"]!.GetValue<string>() == account["id"]!.GetValue<string>())!;
            Assert.Equal(balance["balance"]!["current"]!.GetValue<decimal>(), account["balance"]!["current"]!.GetValue<decimal>());
        }

        var query = Uri.EscapeDataString("identifiers.type=Depository");
        var depository = await _api.GetAsync($"{data}/banking-accounts?query={query}").ExpectAsync(HttpStatusCode.OK);
        Assert.All(depository["results"]!.AsArray(), a => Assert.Equal("Debit", a!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AccountingPaths_AnswerInCodatsLendingSchemas_ListAndGetById()
    {
        var (companyId, _) = await app.LinkAsync("sbac", _user, "Ledger Contract Ltd");
        string[] types = ["company", "chartOfAccounts", "customers", "invoices"];
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, types), seconds: 120);
        var problems = new List<string>();
        foreach (var path in new[] { "/companies/{companyId}/data/info", "/companies/{companyId}/data/accounts/{accountId}",
                     "/companies/{companyId}/data/customers/{customerId}", "/companies/{companyId}/data/invoices/{invoiceId}" })
        {
            if (path.EndsWith('}'))
            {
                problems.AddRange(await CheckPathAsync(CodatDataDocuments.Lending, path[..path.LastIndexOf('/')], companyId, null));
            }

            problems.AddRange(await CheckPathAsync(CodatDataDocuments.Lending, path, companyId, null));
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task DataShapesMigration_MakesTheNextReadOfAReshapedType_AFullOne_KeepingWhatIsServed()
    {
        var (companyId, bank) = await app.LinkAsync("sbbk", _user, "Old Shapes Ltd");
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, "banking-accounts", "banking-accountBalances", "banking-transactions"), seconds: 120);
        var connectionId = Guid.Parse(bank);
        Assert.All(await SchedulesAsync(connectionId), s => Assert.NotNull(s.Watermark));

        var assembly = (app.Provider == DatabaseProvider.Sqlite
            ? typeof(Consentry.Migrations.Sqlite.Migrations.CodatDataShapes)
            : typeof(Consentry.Migrations.Postgres.Migrations.CodatDataShapes)).Assembly;
        await using var stream = assembly.GetManifestResourceStream("20261204100000_CodatDataShapes.sql")!;
        var script = await new StreamReader(stream).ReadToEndAsync();
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(script));

        Assert.All(await SchedulesAsync(connectionId), s =>
        {
            Assert.Null(s.Watermark);
            Assert.NotNull(s.LastSuccessfulSync);
        });
        await _api.GetAsync($"/companies/{companyId}/connections/{bank}/data/banking-accounts").ExpectAsync(HttpStatusCode.OK);
    }

    private Task<List<SyncSchedule>> SchedulesAsync(Guid connectionId) =>
        app.WithDbAsync(db => db.SyncSchedules.IgnoreQueryFilters().AsNoTracking().Where(s => s.ConnectionId == connectionId).ToListAsync());

    /// <summary>
    /// Calls one of Codat's paths: a list with a small page (its first id kept for the get-by-id path), a single object, or
    /// a record by that id; the answer is checked against the document (banking also against Lending).
    /// </summary>
    private async Task<IEnumerable<string>> CheckPathAsync(OpenApiSchemaValidator document, string path, string companyId, string? connectionId)
    {
        var dataType = DataSegment().Match(path).Groups[1].Value;
        var url = path.Replace("{companyId}", companyId, StringComparison.Ordinal).Replace("{connectionId}", connectionId ?? "", StringComparison.Ordinal);
        if (LastParameter().Match(url) is { Success: true } parameter)
        {
            var list = url[..parameter.Index];
            var listed = await _api.GetAsync($"{list}?pageSize=1").ExpectAsync(NotInSandbox.Contains(dataType) ? HttpStatusCode.Conflict : HttpStatusCode.OK);
            if (NotInSandbox.Contains(dataType))
            {
                return [];
            }

            var id = listed["results"]?[0]?["id"]?.GetValue<string>();
            if (id is null)
            {
                return [$"GET {path}: the list {list} returned no record to get by id"];
            }

            url = url[..parameter.Index] + "/" + Uri.EscapeDataString(id);
        }

        using var response = await _api.GetAsync(url + (path.EndsWith('}') || IsSingle(dataType) ? "" : "?pageSize=5"));
        var text = await response.Content.ReadAsStringAsync();
        if (NotInSandbox.Contains(dataType))
        {
            return response.StatusCode == HttpStatusCode.Conflict
                ? CodatDataDocuments.Commerce.Validate(JsonNode.Parse(text), "#/components/schemas/ErrorMessage").Select(v => $"GET {path} 409: {v}")
                : [$"GET {path}: expected 409 (never read) but got {(int)response.StatusCode}: {text}"];
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            return [$"GET {path}: expected 200 but got {(int)response.StatusCode}: {text}"];
        }

        var answer = JsonNode.Parse(text);
        var violations = CodatDataDocuments.Check(document, path, answer).Select(v => $"GET {path}: {v}");
        if (dataType.StartsWith("banking-", StringComparison.Ordinal) && CodatDataDocuments.GetPaths(CodatDataDocuments.Lending).Contains(path))
        {
            violations = violations.Concat(CodatDataDocuments.Check(CodatDataDocuments.Lending, path, answer).Select(v => $"GET {path} (Lending): {v}"));
        }

        return [.. violations];
    }

    private static bool IsSingle(string dataType) => dataType is "info" or "commerce-info";

    private Task<string> LinkAnotherAsync(string companyId, string platformKey) => app.LinkConnectionAsync(companyId, platformKey, _user);

    private static DateTime Date(JsonNode value) =>
        DateTime.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    [GeneratedRegex(@"/data/([^/]+)")]
    private static partial Regex DataSegment();

    [GeneratedRegex(@"/\{[^}]+\}$")]
    private static partial Regex LastParameter();
}

public sealed class DataContractTests_Sqlite(SqliteSyncApp app) : DataContractTests(app), IClassFixture<SqliteSyncApp>;

public sealed class DataContractTests_Postgres(PostgresSyncApp app) : DataContractTests(app), IClassFixture<PostgresSyncApp>;
