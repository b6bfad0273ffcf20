using System.Net;
using System.Net.Http.Headers;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Sync;

/// <summary>Reads survive a killed process, and instances sharing a database never run one read twice at once.</summary>
public sealed class SyncDurabilityTests
{
    private const string Key = "sync-durability-key-0123456789abcdef";
    private static readonly string[] AccountingTypes = ["company", "chartOfAccounts", "customers", "invoices"];

    [Fact]
    public async Task KilledDuringARead_ResumesAfterRestart_AndCompletesWithoutDuplicates()
    {
        var port = ConsentryProcess.FreePort();
        var origin = $"http://localhost:{port}";
        await using var sandbox = await StandaloneSandbox.StartAsync(origin);
        var user = "user_good+" + Guid.NewGuid().ToString("N")[..12];
        // Slow pages, so the kill lands in the middle of reading the invoices.
        await sandbox.PostAsync("sbac", user, "latency", new { milliseconds = 150 });
        var directory = Path.Combine(Path.GetTempPath(), "consentry-sync-crash-" + Guid.NewGuid().ToString("N")[..8]);
        var environment = new Dictionary<string, string>
        {
            ["Consentry__DataDirectory"] = directory,
            ["Consentry__Bootstrap__ApiKey"] = Key,
            ["Consentry__PublicBaseUrl"] = origin,
            ["Consentry__Sandbox__BaseUrl"] = sandbox.BaseUrl,
            ["Consentry__Sync__PageSize"] = "50",
            ["Consentry__Sync__LeaseSeconds"] = "5",
            ["Consentry__Sync__PollMilliseconds"] = "100",
        };

        string companyId;
        Guid invoicesId;
        int pagesBeforeKill;
        await using (var first = await ConsentryProcess.StartAsync(environment, port))
        {
            var api = Client(origin);
            (companyId, _) = await LinkAsync(api, origin, user, new Uri(sandbox.BaseUrl).GetLeftPart(UriPartial.Authority));
            var progress = await WaitAsync(async () =>
            {
                var history = await api.GetAsync($"/companies/{companyId}/data/history?query=dataType%3Dinvoices").ExpectAsync(HttpStatusCode.OK);
                return history["results"]!.AsArray().SingleOrDefault();
            }, op => op is not null && op["progress"]!.GetValue<int>() >= 10);
            invoicesId = Guid.Parse(progress!["id"]!.GetValue<string>());
            first.Kill();
            pagesBeforeKill = (await sandbox.StatsAsync("sbac", user))["dataRequests"]!.GetValue<int>();
        }

        Assert.Equal("Fetching", await DatasetStatusAsync(directory, invoicesId));
        await sandbox.PostAsync("sbac", user, "latency", new { milliseconds = 0 });
        await using var second = await ConsentryProcess.StartAsync(environment);
        var restarted = Client(second.Url);
        await WaitAsync(
            async () => (System.Text.Json.Nodes.JsonObject)await restarted.GetAsync($"/companies/{companyId}/dataStatus").ExpectAsync(HttpStatusCode.OK),
            s => SyncApp.AllComplete(s, AccountingTypes), seconds: 60);

        var platformCount = (await sandbox.PostAsync("sbac", user, "records", new { collection = "invoices" }))["count"]!.GetValue<int>();
        var (count, distinct, datasets) = await InspectAsync(directory, companyId);
        Assert.Equal(platformCount, count);
        Assert.Equal(count, distinct);
        // The same dataset finished the read (resumed, not started again): every page was asked for once, except the pages
        // per read in flight when the process died (the one being stored and those asked ahead of it, Sync:PagesAhead).
        Assert.Equal(1, datasets);
        var expected = 1;
        foreach (var collection in new[] { "accounts", "customers", "invoices" })
        {
            var records = (await sandbox.PostAsync("sbac", user, "records", new { collection }))["count"]!.GetValue<int>();
            expected += Math.Max(1, (int)Math.Ceiling(records / 50.0));
        }

        var total = (await sandbox.StatsAsync("sbac", user))["dataRequests"]!.GetValue<int>();
        Assert.InRange(total, expected, expected + ((new Consentry.Features.Sync.SyncOptions().PagesAhead + 1) * AccountingTypes.Length));
        Assert.True(pagesBeforeKill >= 8, $"Only {pagesBeforeKill} pages were read before the kill.");
        Assert.Equal("Complete", await DatasetStatusAsync(directory, invoicesId));
    }

    [Fact]
    public async Task TwoInstancesOnPostgres_ReadManyCompanies_EveryPageOnce_BothWorking()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var one = new SharedSyncApp(database);
        await one.InitializeAsync();
        await using var two = new SharedSyncApp(database, sandboxOf: one);
        await two.InitializeAsync();

        var users = Enumerable.Range(0, 6).Select(i => $"user_good+pair{i}{Guid.NewGuid().ToString("N")[..8]}").ToList();
        var companies = new List<string>();
        foreach (var user in users)
        {
            await one.SandboxAsync("sbac", user, "latency", new { milliseconds = 50 });
            companies.Add((await one.LinkAsync("sbac", user)).CompanyId);
        }

        foreach (var companyId in companies)
        {
            await one.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, AccountingTypes), seconds: 120);
        }

        // Every page of every collection was asked for exactly once: no read ran on both instances.
        foreach (var user in users)
        {
            var expected = 1; // the company object
            foreach (var collection in new[] { "accounts", "customers", "invoices" })
            {
                var count = (await one.SandboxAsync("sbac", user, "records", new { collection }))["count"]!.GetValue<int>();
                expected += Math.Max(1, (int)Math.Ceiling(count / 200.0));
            }

            Assert.Equal(expected, (await one.SandboxStatsAsync("sbac", user))["dataRequests"]!.GetValue<int>());
        }

        var workers = await one.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().Select(d => d.Worker).Distinct().ToListAsync());
        Assert.Equal(2, workers.Count);
        Assert.DoesNotContain(null, workers);
    }

    private static async Task<(string CompanyId, string ConnectionId)> LinkAsync(HttpClient api, string origin, string user, string platformOrigin)
    {
        var companyId = await api.CreateCompanyAsync("Crash Reader Ltd");
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);
        using var browser = new LinkBrowser(new Uri(origin));
        browser.AlsoFollow.Add(platformOrigin);
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = user, ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");
        return (companyId, connection["id"]!.GetValue<string>());
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {seconds} s; last value: {value}");
            }

            await Task.Delay(50);
        }
    }

    private static ConsentryDbContext Open(string directory)
    {
        var options = new DbContextOptionsBuilder<ConsentryDbContext>();
        options.UseConsentryDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "consentry.db")}");
        return new ConsentryDbContext(options.Options);
    }

    private static async Task<string> DatasetStatusAsync(string directory, Guid datasetId)
    {
        await using var db = Open(directory);
        return (await db.Datasets.IgnoreQueryFilters().SingleAsync(d => d.Id == datasetId)).Status.ToString();
    }

    private static async Task<(int Count, int Distinct, int Datasets)> InspectAsync(string directory, string companyId)
    {
        await using var db = Open(directory);
        var company = Guid.Parse(companyId);
        var invoices = db.Records.IgnoreQueryFilters().Where(r => r.CompanyId == company && r.DataType == "invoices");
        return (await invoices.CountAsync(), await invoices.Select(r => r.RecordId).Distinct().CountAsync(),
            await db.Datasets.IgnoreQueryFilters().CountAsync(d => d.CompanyId == company && d.DataType == "invoices"));
    }

    private static HttpClient Client(string url)
    {
        var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Key)));
        return client;
    }

    /// <summary>An instance on a shared PostgreSQL database; the second reads from the first one's sandbox (grants live in its memory).</summary>
    private sealed class SharedSyncApp(string connectionString, SharedSyncApp? sandboxOf = null) : SyncApp(DatabaseProvider.Postgres, connectionString)
    {
        // Two reads at a time each, so one instance cannot take all the work before the other polls.
        protected override IReadOnlyDictionary<string, string?> Settings => sandboxOf is null
            ? new Dictionary<string, string?>(base.Settings) { ["Consentry:Sync:MaxConcurrency"] = "2" }
            : new Dictionary<string, string?>(base.Settings)
            {
                ["Consentry:Sync:MaxConcurrency"] = "2", ["Consentry:Sandbox:BaseUrl"] = $"{sandboxOf.BaseUrl}/sandbox",
            };
    }
}
