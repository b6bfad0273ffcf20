using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Settings;
using Consentry.Core.Sync;
using Consentry.Features.Sync;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Sync;

/// <summary>
/// What docs/sync.md once listed as not done: records deleted at the platform are marked <c>metadata.isDeleted</c> by a
/// complete full read (and never by one that failed), and the sync settings' <c>syncFromUtc</c> / <c>syncFromWindow</c>
/// limit what is read. Each test signs in as its own sandbox user.
/// </summary>
public abstract class SyncGapTests(SyncApp app)
{
    private readonly HttpClient _api = app.Alpha();
    private readonly string _user = "user_good+" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task FullRead_MarksWhatThePlatformNoLongerHas_AsDeleted_AndAFailedReadMarksNothing()
    {
        var (companyId, connectionId) = await app.LinkAsync("sbac", _user);
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, "invoices"));
        var kept = await app.WithDbAsync(db => db.Records.IgnoreQueryFilters().AsNoTracking()
            .FirstAsync(r => r.ConnectionId == Guid.Parse(connectionId) && r.DataType == "invoices"));
        // An invoice read before and since deleted at the platform: the cache has it, the platform no longer does.
        await app.WithDbAsync(async db =>
        {
            db.Records.Add(new CachedRecord
            {
                Id = Guid.CreateVersion7(), ClientId = kept.ClientId, CompanyId = kept.CompanyId, ConnectionId = kept.ConnectionId,
                DataType = "invoices", RecordId = "deleted-at-the-platform", ModifiedDate = kept.ModifiedDate, Updated = kept.Updated,
                Data = """{"id":"deleted-at-the-platform","invoiceNumber":"GONE-1","modifiedDate":"2024-01-01T00:00:00Z"}""",
            });
            return await db.SaveChangesAsync();
        });

        // A week later the next read is a full one. This one fails (more 502s than retries): nothing is marked deleted.
        // (The platform fails first: the schedule may queue the read itself as soon as the clock moves.)
        await app.SandboxAsync("sbac", _user, "failures", new { requests = 50, status = 502 });
        app.Time.Advance(TimeSpan.FromDays(8));
        var failing = await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["invoices"]!["latestSyncId"]?.GetValue<string>() == failing["id"]!.GetValue<string>()
            && s["invoices"]!["currentStatus"]!.GetValue<string>() == "FetchError");
        await _api.GetAsync($"/companies/{companyId}/data/invoices/deleted-at-the-platform").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, await DeletedCountAsync(connectionId));

        await app.SandboxAsync("sbac", _user, "failures", new { requests = 0 });
        var full = await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["invoices"]!["latestSuccessfulSyncId"]?.GetValue<string>() == full["id"]!.GetValue<string>());
        var dataset = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().SingleAsync(d => d.Id == Guid.Parse(full["id"]!.GetValue<string>())));
        Assert.Null(dataset.ModifiedSince);

        var gone = await _api.GetAsync($"/companies/{companyId}/data/invoices/deleted-at-the-platform").ExpectAsync(HttpStatusCode.OK);
        Assert.True(gone["metadata"]!["isDeleted"]!.GetValue<bool>());
        Assert.Equal("GONE-1", gone["invoiceNumber"]!.GetValue<string>());
        var still = await _api.GetAsync($"/companies/{companyId}/data/invoices/{kept.RecordId}").ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(true, still["metadata"]?["isDeleted"]?.GetValue<bool>());
        Assert.Equal(1, await DeletedCountAsync(connectionId));
    }

    [Fact]
    public async Task SyncFromUtc_LimitsTheRead_AndAFullReadMarksNothingOlderAsDeleted()
    {
        // The same sandbox user's data read in full, then through a company whose settings start at its median date.
        var (everything, _) = await app.LinkAsync("sbac", _user);
        await app.WaitForDataStatusAsync(everything, s => SyncApp.AllComplete(s, "invoices"));
        var dates = (await ModifiedDatesAsync(everything)).Order().ToList();
        var from = dates[dates.Count / 2];

        var (companyId, connectionId) = await LinkWithSettingsAsync(new { dataType = "invoices", fetchOnFirstLink = true, syncSchedule = 720, syncOrder = 0, syncFromUtc = from });
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, "invoices"));
        var read = await ModifiedDatesAsync(companyId);
        Assert.Equal(dates.Count(d => d >= from), read.Count);
        Assert.InRange(read.Count, 1, dates.Count - 1);
        Assert.All(read, d => Assert.True(d >= from, $"{d:O} is before {from:O}"));

        // A full read a week later, with an older record in the cache that the bound kept out of the read: not deleted.
        await app.WithDbAsync(async db =>
        {
            var any = await db.Records.IgnoreQueryFilters().FirstAsync(r => r.ConnectionId == Guid.Parse(connectionId) && r.DataType == "invoices");
            db.Records.Add(new CachedRecord
            {
                Id = Guid.CreateVersion7(), ClientId = any.ClientId, CompanyId = any.CompanyId, ConnectionId = any.ConnectionId, DataType = "invoices",
                RecordId = "older-than-the-bound", ModifiedDate = from.AddDays(-30), Updated = any.Updated,
                Data = """{"id":"older-than-the-bound","modifiedDate":"2023-01-01T00:00:00Z"}""",
            });
            return await db.SaveChangesAsync();
        });
        app.Time.Advance(TimeSpan.FromDays(8));
        var full = await _api.PostAsync($"/companies/{companyId}/data/queue/invoices", null).ExpectAsync(HttpStatusCode.OK);
        await app.WaitForDataStatusAsync(companyId, s => s["invoices"]!["latestSuccessfulSyncId"]?.GetValue<string>() == full["id"]!.GetValue<string>());
        var dataset = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().SingleAsync(d => d.Id == Guid.Parse(full["id"]!.GetValue<string>())));
        Assert.Null(dataset.ModifiedSince);
        Assert.Equal(from, dataset.SyncFrom);
        Assert.Equal(0, await DeletedCountAsync(connectionId));
    }

    [Fact]
    public async Task SyncFromWindow_ReadsOnlyTheLastMonths()
    {
        // The sandbox's records date from 2023 and 2024: a window reaching back to early 2024 reads 2024's only.
        var now = app.Time.GetUtcNow().UtcDateTime;
        var months = ((now.Year - 2024) * 12) + now.Month - 1;
        var (companyId, connectionId) = await LinkWithSettingsAsync(new { dataType = "invoices", fetchOnFirstLink = true, syncSchedule = 24, syncOrder = 0, syncFromWindow = months });
        await app.WaitForDataStatusAsync(companyId, s => SyncApp.AllComplete(s, "invoices"));
        var dataset = await app.WithDbAsync(db => db.Datasets.IgnoreQueryFilters().FirstAsync(d => d.ConnectionId == Guid.Parse(connectionId) && d.DataType == "invoices"));
        Assert.NotNull(dataset.SyncFrom);
        Assert.Equal(2024, dataset.SyncFrom!.Value.Year);
        var read = await ModifiedDatesAsync(companyId);
        Assert.NotEmpty(read);
        Assert.All(read, d => Assert.True(d >= dataset.SyncFrom, $"{d:O} is before {dataset.SyncFrom:O}"));
        var total = (await app.SandboxAsync("sbac", _user, "records", new { collection = "invoices", add = 0, change = 0 }))["count"]!.GetValue<int>();
        Assert.True(read.Count < total, $"{read.Count} of {total} read");
    }

    /// <summary>The company's sync settings are set before the customer links, so the first read already follows them.</summary>
    private async Task<(string CompanyId, string ConnectionId)> LinkWithSettingsAsync(object setting)
    {
        var companyId = await _api.CreateCompanyAsync("Window Ltd");
        await _api.PostJsonAsync($"/companies/{companyId}/syncSettings", new { companyId, overridesDefaults = true, settings = new[] { setting } })
            .ExpectAsync(HttpStatusCode.NoContent);
        var connection = await _api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);
        using var browser = app.Browser();
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = _user, ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");
        return (companyId, connection["id"]!.GetValue<string>());
    }

    private Task<List<DateTime>> ModifiedDatesAsync(string companyId) =>
        app.WithDbAsync(db => db.Records.IgnoreQueryFilters().Where(r => r.CompanyId == Guid.Parse(companyId) && r.DataType == "invoices" && r.ModifiedDate != null)
            .Select(r => r.ModifiedDate!.Value).ToListAsync());

    private async Task<int> DeletedCountAsync(string connectionId)
    {
        var data = await app.WithDbAsync(db => db.Records.IgnoreQueryFilters().Where(r => r.ConnectionId == Guid.Parse(connectionId) && r.DataType == "invoices")
            .Select(r => r.Data).ToListAsync());
        return data.Count(d => System.Text.Json.JsonDocument.Parse(d).RootElement is var root
            && root.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("isDeleted", out var deleted) && deleted.ValueKind == System.Text.Json.JsonValueKind.True);
    }
}

public sealed class SyncGapTests_Sqlite(SqliteSyncApp app) : SyncGapTests(app), IClassFixture<SqliteSyncApp>;

public sealed class SyncGapTests_Postgres(PostgresSyncApp app) : SyncGapTests(app), IClassFixture<PostgresSyncApp>;

/// <summary>The bound each sync setting gives, without a database.</summary>
public sealed class SyncWindowTests
{
    private static readonly DateTime Now = new(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void TheLatestOfTheSettingsThatApply_IsTheBound()
    {
        Assert.Null(SyncWindow.From(new SyncSetting { DataType = "invoices" }, Now));
        var utc = new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(utc, SyncWindow.From(new SyncSetting { DataType = "invoices", SyncFromUtc = utc }, Now));
        Assert.Equal(Now.AddMonths(-6), SyncWindow.From(new SyncSetting { DataType = "invoices", SyncFromWindow = 6 }, Now));
        Assert.Equal(Now.AddMonths(-6), SyncWindow.From(new SyncSetting { DataType = "invoices", SyncFromUtc = utc, SyncFromWindow = 6 }, Now));
        Assert.Equal(utc, SyncWindow.From(new SyncSetting { DataType = "invoices", SyncFromUtc = utc, SyncFromWindow = 24 }, Now));
        // monthsToSync is for reports only (Codat's words), so our default of 24 does not limit invoices.
        Assert.Null(SyncWindow.From(new SyncSetting { DataType = "invoices", MonthsToSync = 3 }, Now));
        Assert.Equal(Now.AddMonths(-3), SyncWindow.From(new SyncSetting { DataType = "profitAndLoss", MonthsToSync = 3 }, Now));
    }
}
