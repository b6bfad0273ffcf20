using Consentry.Core.Companies;
using Consentry.Core.Connections;
using Consentry.Core.Integrations;
using Consentry.Core.Persistence;
using Consentry.Core.Settings;
using Consentry.Core.Sync;
using Consentry.Features.Sync;
using Consentry.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Domain;

/// <summary>Why datasets were queued.</summary>
public enum SyncTrigger
{
    /// <summary>A connection became Linked: the data types whose sync settings say <c>fetchOnFirstLink</c>.</summary>
    Link,

    /// <summary>The app asked (<c>data/all</c> or <c>data/queue/{dataType}</c>).</summary>
    Request,

    /// <summary>A data type's <c>syncSchedule</c> came round.</summary>
    Schedule,
}

/// <summary>
/// Queues reads: adds datasets, their read and their schedules to the DbContext (the caller saves, so queueing commits
/// with the change that caused it). A data type with a read already queued or running keeps that one; the database's
/// unique index on active datasets makes that hold across instances too.
/// </summary>
public sealed class SyncQueue(
    ConsentryDbContext db, IntegrationCatalogue catalogue, Connectors.PlatformConnectors connectors, ConsentLedger consents, IClientCache clients,
    TimeProvider time)
{
    /// <summary>The data types Consentry can read from the connection's platform.</summary>
    public IReadOnlyList<string> Readable(Connection connection) =>
        catalogue.Find(connection.PlatformKey) is { } integration ? [.. connectors.Readable(integration)] : [];

    /// <summary>The sync settings in force for a company: its own, else the client's, else ours; a type missing from them gets ours.</summary>
    public async Task<Func<string, SyncSetting>> SettingsAsync(Guid companyId, CancellationToken ct)
    {
        var stored = await StoredSettings.For(db)(db, companyId, ct);
        return Effective(stored?.Company, stored?.Client);
    }

    private static Func<string, SyncSetting> Effective(SyncSettingsDocument? company, SyncSettingsDocument? client)
    {
        var defaults = DataTypes.Defaults().Settings.ToDictionary(s => s.DataType, StringComparer.Ordinal);
        var effective = (company ?? client)?.Settings.ToDictionary(s => s.DataType, StringComparer.Ordinal) ?? defaults;
        return dataType => effective.GetValueOrDefault(dataType) ?? defaults.GetValueOrDefault(dataType)
            ?? new SyncSetting { DataType = dataType, FetchOnFirstLink = false, SyncSchedule = 24 };
    }

    /// <summary>The company's own sync settings and its client's, as stored.</summary>
    private sealed record Stored(SyncSettingsDocument? Company, SyncSettingsDocument? Client);

    // Every link reads them: compiled once per model (no parameter extraction or query-cache look-up per call).
    private static readonly PerModel<Func<ConsentryDbContext, Guid, CancellationToken, Task<Stored?>>> StoredSettings = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid companyId, CancellationToken ct) => db.Companies.AsNoTracking().Where(c => c.Id == companyId)
            .Select(c => new Stored(c.SyncSettings, db.Clients.Where(k => k.Id == c.ClientId).Select(k => k.SyncSettings).FirstOrDefault()))
            .FirstOrDefault()));

    /// <summary>
    /// A connection became Linked: queue the readable types its products' consents cover, and (for a consent given
    /// without products) those whose settings say fetchOnFirstLink. <paramref name="company"/> as loaded in this unit of
    /// work (its own sync settings); the client's come from the client cache (its staleness rule); the coverage is what
    /// the link's consents allow (<see cref="ConsentLedger.GrantOnLinkAsync"/>). <paramref name="firstLink"/>: the
    /// connection was PendingAuth (a status no connection returns to) and has no <c>Authorized</c> journey event (which
    /// every link commits with it), so nothing was ever queued for it (every way of queueing reads asks for a Linked
    /// connection, and schedules come only from reads queued): no active read or schedule of it is looked up.
    /// </summary>
    public async Task<IReadOnlyList<Dataset>> OnLinkedAsync(Company company, Connection connection, ConsentCoverage coverage, bool firstLink, CancellationToken ct)
    {
        var client = company.SyncSettings is null ? await clients.GetAsync(company.ClientId, ct) : null;
        var settings = Effective(company.SyncSettings, client?.SyncSettings);
        var types = Readable(connection).Where(t => coverage.ProductTypes.Contains(t) || (coverage.Covers(t) && settings(t).FetchOnFirstLink)).ToList();
        return await QueueCoveredAsync(company.Id, [(connection, types)], SyncTrigger.Link, settings, new() { [connection.Id] = coverage }, ct,
            neverQueued: firstLink);
    }

    /// <summary>Queues the given data types of the given connections as one read (one <c>read.completed</c> when all end).</summary>
    public async Task<IReadOnlyList<Dataset>> QueueAsync(
        Guid companyId, IReadOnlyList<(Connection Connection, IReadOnlyList<string> DataTypes)> work, SyncTrigger trigger,
        Func<string, SyncSetting>? settings, CancellationToken ct)
    {
        settings ??= await SettingsAsync(companyId, ct);
        // Only what an active consent covers is ever read, whatever asked for it.
        var coverage = await consents.CoverageAsync([.. work.Select(w => w.Connection.Id)], ct);
        return await QueueCoveredAsync(companyId, work, trigger, settings, coverage, ct);
    }

    /// <summary>
    /// <see cref="QueueAsync"/> with the connections' consent coverage already read (in this unit of work).
    /// <paramref name="neverQueued"/>: no read was ever queued for these connections, so there is no active read or
    /// schedule to find (two statements less on a first link).
    /// </summary>
    private async Task<IReadOnlyList<Dataset>> QueueCoveredAsync(
        Guid companyId, IReadOnlyList<(Connection Connection, IReadOnlyList<string> DataTypes)> work, SyncTrigger trigger,
        Func<string, SyncSetting> settings, Dictionary<Guid, ConsentCoverage> coverage, CancellationToken ct, bool neverQueued = false)
    {
        var connectionIds = work.Select(w => w.Connection.Id).ToList();
        work = [.. work.Select(w => (w.Connection, (IReadOnlyList<string>)[.. w.DataTypes.Where(coverage[w.Connection.Id].Covers)]))];
        var active = neverQueued ? [] : await db.Datasets.Where(d => connectionIds.Contains(d.ConnectionId)
            && (d.Status == DatasetStatus.Queued || d.Status == DatasetStatus.Fetching)).ToListAsync(ct);
        var schedules = neverQueued ? [] : await db.SyncSchedules.Where(s => connectionIds.Contains(s.ConnectionId)).ToListAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var read = new SyncRead { Id = Guid.CreateVersion7(), CompanyId = companyId, Requested = now };
        var result = new List<Dataset>();
        var added = new List<Dataset>();
        foreach (var (connection, dataTypes) in work)
        {
            foreach (var dataType in dataTypes.Distinct(StringComparer.Ordinal))
            {
                if (active.FirstOrDefault(d => d.ConnectionId == connection.Id && d.DataType == dataType) is { } running)
                {
                    result.Add(running);
                    continue;
                }

                var interval = Math.Max(settings(dataType).SyncSchedule, 1);
                var schedule = schedules.FirstOrDefault(s => s.ConnectionId == connection.Id && s.DataType == dataType);
                if (schedule is null)
                {
                    schedule = new SyncSchedule
                    {
                        Id = Guid.CreateVersion7(), ClientId = connection.ClientId, CompanyId = companyId, ConnectionId = connection.Id, DataType = dataType,
                    };
                    db.SyncSchedules.Add(schedule);
                    schedules.Add(schedule);
                }

                var dataset = new Dataset
                {
                    Id = Guid.CreateVersion7(),
                    ClientId = connection.ClientId,
                    CompanyId = companyId,
                    ConnectionId = connection.Id,
                    ReadId = read.Id,
                    DataType = dataType,
                    Status = DatasetStatus.Queued,
                    Requested = now,
                    NextAttemptAt = now,
                    IsInitial = schedule.Watermark is null,
                    TraceParent = Infrastructure.Observability.ConsentryTracing.CurrentParent(),
                };
                schedule.IntervalHours = interval;
                schedule.NextSyncAt = now.AddHours(interval);
                schedule.LatestDatasetId = dataset.Id;
                added.Add(dataset);
                result.Add(dataset);
            }
        }

        if (added.Count > 0)
        {
            read.ClientId = added[0].ClientId;
            read.Remaining = added.Count;
            read.IsInitial = trigger == SyncTrigger.Link && added.All(d => d.IsInitial);
            db.SyncReads.Add(read);
            db.Datasets.AddRange(added);
        }

        return result;
    }

    /// <summary>True when saving failed only because another request or instance queued the same read first.</summary>
    public static bool IsDuplicateActiveRead(DbUpdateException e) =>
        e.InnerException?.Message.Contains("IX_datasets_active", StringComparison.Ordinal) == true
        || e.InnerException?.Message.Contains("datasets.ConnectionId, datasets.DataType", StringComparison.Ordinal) == true;
}
