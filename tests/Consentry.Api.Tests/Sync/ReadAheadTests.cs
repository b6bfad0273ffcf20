using System.Globalization;
using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Sync;

/// <summary>
/// Pages asked for ahead of the one being stored (<c>Sync:PagesAhead</c>) never change what a read leaves behind: pages
/// are stored strictly in order, each with its progress, so when a later page fails the stored records are exactly the
/// pages before it, and the dataset's progress (next page, cursor, records read) says where a read would continue.
/// </summary>
public abstract class ReadAheadTests(SyncApp app)
{
    /// <summary>SyncApp's page size.</summary>
    private const int PageSize = 200;

    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task APageFailingWhileLaterOnesAreAskedAhead_LeavesExactlyThePagesBeforeIt_WithTheirProgress()
    {
        // Slow pages, so the read is caught half-way with several pages in flight.
        await app.SandboxAsync("sbac", _user, "latency", new { milliseconds = 1000 });
        var (companyId, connectionId) = await app.LinkAsync("sbac", _user);
        await app.WaitForDataStatusAsync(companyId, s => s["invoices"]?["currentStatus"]?.GetValue<string>() == "Fetching"
            && RecordCountAsync(companyId).GetAwaiter().GetResult() > 0);

        // Every request from now on fails (beyond the retries): the pages already answered may still be stored, in order,
        // then the first failing page ends the read.
        await app.SandboxAsync("sbac", _user, "failures", new { requests = 100_000, status = 502 });
        await app.WaitForDataStatusAsync(companyId, s => s["invoices"]!["currentStatus"]!.GetValue<string>() == "FetchError", seconds: 120);
        await app.SandboxAsync("sbac", _user, "failures", new { requests = 0 });
        await app.SandboxAsync("sbac", _user, "latency", new { milliseconds = 0 });

        var total = await PlatformTotalAsync();
        var stored = await RecordCountAsync(companyId);
        Assert.InRange(stored, PageSize, total - 1);
        var dataset = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().AsNoTracking()
            .SingleAsync(d => d.CompanyId == Guid.Parse(companyId) && d.DataType == "invoices"));
        Assert.Equal(DatasetStatus.FetchError, dataset.Status);
        // Whole pages from the first, none skipped: what is stored is what the progress counts, page by page.
        Assert.Equal(stored, dataset.RecordsRead);
        Assert.Equal(0, stored % PageSize);
        Assert.Equal((stored / PageSize) + 1, dataset.NextPage);
        Assert.Equal(dataset.NextPage.ToString(CultureInfo.InvariantCulture), dataset.Cursor);
        // The platform numbers its invoices in page order (INV-00001 is the first record of page 1).
        var numbers = await app.WithDbAsync(db => db.Records.IgnoreQueryFilters()
            .Where(r => r.CompanyId == Guid.Parse(companyId) && r.DataType == "invoices").Select(r => r.Data).ToListAsync());
        var expected = Enumerable.Range(1, stored).Select(i => $"INV-{i:D5}");
        Assert.Equal(expected, numbers.Select(d => System.Text.Json.Nodes.JsonNode.Parse(d)!["invoiceNumber"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        // The next read completes over what was kept, without duplicates.
        var queued = await _api.PostAsync($"/companies/{companyId}/data/queue/invoices?connectionId={connectionId}", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId,
            s => s["invoices"]!["latestSuccessfulSyncId"]?.GetValue<string>() == queued["id"]!.GetValue<string>(), seconds: 120);
        Assert.Equal(total, await RecordCountAsync(companyId));
    }

    private Task<int> RecordCountAsync(string companyId) =>
        app.WithDbAsync(db => db.Records.IgnoreQueryFilters().CountAsync(r => r.CompanyId == Guid.Parse(companyId) && r.DataType == "invoices"));

    private async Task<int> PlatformTotalAsync()
    {
        var changes = await app.SandboxAsync("sbac", _user, "records", new { collection = "invoices", add = 0, change = 0 });
        return changes["count"]!.GetValue<int>();
    }
}

public sealed class ReadAheadTests_Sqlite(SqliteSyncApp app) : ReadAheadTests(app), IClassFixture<SqliteSyncApp>;

public sealed class ReadAheadTests_Postgres(PostgresSyncApp app) : ReadAheadTests(app), IClassFixture<PostgresSyncApp>;
