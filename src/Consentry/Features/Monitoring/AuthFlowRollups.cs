using System.Data.Common;
using System.Globalization;
using System.Text;
using Consentry.Core.Connections;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using static Consentry.Features.Monitoring.AuthFlowMarks;

namespace Consentry.Features.Monitoring;

/// <summary>
/// Keeps the auth-flow rollups up to date as journey events are saved, in the same transaction as the events: each
/// event inserts the marks (company × scope × step) it reaches for the first time, and each new mark adds one to the
/// daily counter of the company's cohort day. The overview then sums a few hundred counter rows instead of scanning
/// millions of events. Made per save by <see cref="AuthFlowRollupsInterceptor"/>: whoever records an event only saves.
/// </summary>
internal sealed class AuthFlowRollups(ConsentryDbContext db, bool sqlite, Domain.IClientCache clients)
{
    private readonly bool _sqlite = sqlite;

    /// <summary>The cohort day of each (company, scope) this save already learnt: its Started mark exists.</summary>
    private readonly Dictionary<(Guid CompanyId, string Scope), DateOnly> _cohorts = [];

    /// <summary>Stamps each new event with the variant its company is in (before the insert); answers the variants.</summary>
    public async Task<Dictionary<Guid, ExperimentVariant>> StampVariantsAsync(List<JourneyEvent> events, CancellationToken ct)
    {
        // Journey events carry the variant the company is in, wherever in the journey they are recorded.
        var variants = await VariantsAsync(events, ct);
        foreach (var e in events.Where(e => e.VariantId is null))
        {
            e.VariantId = variants.GetValueOrDefault(e.CompanyId)?.Id;
        }

        return variants;
    }

    /// <summary>Counts the saved events (inside the save's transaction, which the caller commits).</summary>
    public async Task ApplyAsync(List<JourneyEvent> events, Dictionary<Guid, ExperimentVariant> variants, CancellationToken ct)
    {
        // Read after saving: saving is what stamps each event with its client; the settings come from the client cache
        // (the Link pages read the client there too), else the client row this save tracks.
        var settings = new Dictionary<Guid, LinkSettings?>();
        foreach (var clientId in events.Select(e => e.ClientId).Distinct())
        {
            settings[clientId] = TrackedClient(clientId) is { } tracked
                ? tracked.LinkSettings
                : (await clients.GetAsync(clientId, ct))?.LinkSettings;
        }

        foreach (var e in events)
        {
            var own = settings.GetValueOrDefault(e.ClientId) ?? new LinkSettings();
            // A variant that changes which categories are optional changes what "completed" means for its companies.
            var variant = variants.GetValueOrDefault(e.CompanyId) is { } v && v.Id == e.VariantId ? v : null;
            await ApplyAsync(e, variant is null ? own : Experiments.LinkVariants.Apply(own, variant), ct);
        }
    }

    /// <summary>
    /// The client row this save tracks, looked up by key without another scan of every tracked entity for changes (the
    /// save has just run one; the settings are read from the entity itself either way).
    /// </summary>
    private Core.Clients.Client? TrackedClient(Guid clientId) =>
        db.ChangeTracker.WithoutDetectChanges(_ => db.Clients.Local.FindEntry(clientId)?.Entity);

    private async Task ApplyAsync(JourneyEvent e, LinkSettings settings, CancellationToken ct)
    {
        var day = DateOnly.FromDateTime(e.At);
        var candidates = Candidates(e, settings);
        var added = await InsertMarksAsync(e, AllScope, day, candidates, ct);
        var complete = (SatisfiesCategory(e.Step) || e.Step == JourneyStep.Completed) && await IsCompleteAsync(e, settings, ct);
        if (complete)
        {
            added.AddRange(await InsertMarksAsync(e, AllScope, day, [(AllScope, Completed)], ct));
        }

        await EstimateBeganFlowAsync(e, AllScope, day, added, ct);
        await CountAsync(e.ClientId, added, ct);
        if (e.VariantId is { } variant)
        {
            await ApplyVariantAsync(e, day, Variant(variant), candidates.Where(c => c.Scope == AllScope).Select(c => c.Mark), complete, ct);
        }
    }

    private async Task EstimateBeganFlowAsync(JourneyEvent e, string cohortScope, DateOnly day, List<(string Scope, string Mark, DateOnly Day)> added, CancellationToken ct)
    {
        if (e.Step != JourneyStep.IntegrationSelected)
        {
            var estimated = added.Where(m => m.Mark == BeganFlow).Select(m => (m.Scope, BeganFlowEstimated)).ToList();
            added.AddRange(await InsertMarksAsync(e, cohortScope, day, estimated, ct));
        }
    }

    /// <summary>
    /// The whole-journey marks again in the variant's own scope, its cohort the day the company first reached it in the
    /// variant: the variant's funnel is then the overview's funnel of its companies alone.
    /// </summary>
    private async Task ApplyVariantAsync(JourneyEvent e, DateOnly day, string scope, IEnumerable<string> marks, bool complete, CancellationToken ct)
    {
        var added = await InsertMarksAsync(e, scope, day, [.. marks.Select(m => (scope, m)), .. complete ? [(scope, Completed)] : Array.Empty<(string, string)>()], ct);
        await EstimateBeganFlowAsync(e, scope, day, added, ct);
        await CountAsync(e.ClientId, added, ct);
    }

    /// <summary>Each company's variant in the client's running experiment, when it has one.</summary>
    private async Task<Dictionary<Guid, ExperimentVariant>> VariantsAsync(List<JourneyEvent> events, CancellationToken ct)
    {
        // Most saves are of a client without a running experiment (the client cache knows): then no company has a variant.
        var running = false;
        foreach (var clientId in events.Select(e => e.ClientId).Distinct())
        {
            running |= clientId == Guid.Empty || await clients.RunningExperimentAsync(clientId, ct) is not null;
        }

        if (!running)
        {
            return [];
        }

        var companies = events.Select(e => e.CompanyId).Distinct().ToList();
        var rows = await (from a in db.ExperimentAssignments.AsNoTracking()
                join x in db.Experiments.AsNoTracking() on a.ExperimentId equals x.Id
                where x.Status == ExperimentStatus.Running && companies.Contains(a.CompanyId)
                select new { a.CompanyId, a.VariantId, x.Variants })
            .ToListAsync(ct);
        return rows.Select(r => (r.CompanyId, Variant: r.Variants.FirstOrDefault(v => v.Id == r.VariantId && !v.Stopped)))
            .Where(r => r.Variant is not null).ToDictionary(r => r.CompanyId, r => r.Variant!);
    }

    /// <summary>Every (scope, mark) this event reaches; the database keeps only those not reached before.</summary>
    private static List<(string Scope, string Mark)> Candidates(JourneyEvent e, LinkSettings settings)
    {
        var marks = new List<string> { e.Step.ToString() };
        if (e.Step == JourneyStep.Failed)
        {
            marks.Add(Failed(e.Detail));
        }

        if (BeginsFlow(e.Step))
        {
            marks.Add(BeganFlow);
        }

        marks.AddRange(ReachedBy(e.Step));
        var result = marks.Where(m => m != Completed).Select(m => (AllScope, m)).ToList();
        if (IsCompanyLinkStep(e))
        {
            result.Add((AllScope, CompanyLink));
        }

        if (e.Step == JourneyStep.Completed)
        {
            result.Add((AllScope, Completed));
        }

        // Steps of the company Link's own pages (landing, consent, completion) concern every category it shows.
        IEnumerable<SourceType> categories = e.SourceType is { } type ? [type]
            : [.. new[] { SourceType.Accounting, SourceType.Banking, SourceType.Commerce }.Where(t => settings.For(t)?.Enabled == true)];
        foreach (var category in categories)
        {
            var scope = Category(category);
            result.Add((scope, Started));
            result.AddRange(marks.Select(m => (scope, m)));
            if (SatisfiesCategory(e.Step) && !marks.Contains(Completed))
            {
                result.Add((scope, Completed));
            }
        }

        if (e.PlatformKey is { Length: > 0 } key)
        {
            var scope = Integration(key);
            result.Add((scope, Started));
            result.AddRange(marks.Where(m => m != Completed).Select(m => (scope, m)));
            if (e.Step == JourneyStep.Authorized)
            {
                result.Add((scope, Completed));
            }
        }

        return [.. result.Distinct()];
    }

    /// <summary>
    /// Codat's "completed", for a company that used the company Link: every required category (enabled, not optional)
    /// authorized or covered by an upload; a skipped optional category does not hold it back; the Link's own Completed
    /// step counts too. A company that only ever walked connections' linkUrls (a build-your-own journey) never saw the
    /// categories: it completes when every connection the app created for it has been authorized (none is still
    /// PendingAuth).
    /// </summary>
    private async Task<bool> IsCompleteAsync(JourneyEvent e, LinkSettings settings, CancellationToken ct)
    {
        if (e.Step == JourneyStep.Completed)
        {
            return true;
        }

        if (!await UsedCompanyLinkAsync(e.CompanyId, ct))
        {
            return e.Step == JourneyStep.Authorized && !await HasPendingConnection.For(db)(db, e.CompanyId, ct);
        }

        var required = new[] { SourceType.Accounting, SourceType.Banking, SourceType.Commerce }
            .Where(t => settings.For(t) is { Enabled: true, Optional: false }).Select(Category).ToList();
        if (required.Count == 0)
        {
            return true;
        }

        var authorized = nameof(JourneyStep.Authorized);
        var uploaded = nameof(JourneyStep.FileUploaded);
        var covered = await db.JourneyMarks.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.CompanyId == e.CompanyId && required.Contains(m.Scope) && (m.Mark == authorized || m.Mark == uploaded))
            .Select(m => m.Scope).Distinct().CountAsync(ct);
        return covered == required.Count;
    }

    /// <summary>The CompanyLink mark; marks of company-Link-only steps also tell for journeys recorded before that mark existed.</summary>
    private Task<bool> UsedCompanyLinkAsync(Guid companyId, CancellationToken ct) => HasCompanyLinkMark.For(db)(db, companyId, CompanyLinkMarks, ct);

    private static readonly string[] CompanyLinkMarks =
        [CompanyLink, nameof(JourneyStep.IntegrationSelected), nameof(JourneyStep.CategorySkipped), nameof(JourneyStep.FileUploaded)];

    // The look-ups of every save with journey events, compiled once per model (no parameter extraction or query-cache
    // look-up per event).
    private static readonly Infrastructure.Persistence.PerModel<Func<ConsentryDbContext, Guid, string[], CancellationToken, Task<bool>>> HasCompanyLinkMark = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid companyId, string[] marks, CancellationToken ct) => db.JourneyMarks.IgnoreQueryFilters().AsNoTracking()
            .Any(m => m.CompanyId == companyId && m.Scope == AllScope && marks.Contains(m.Mark))));

    private static readonly Infrastructure.Persistence.PerModel<Func<ConsentryDbContext, Guid, CancellationToken, Task<bool>>> HasPendingConnection = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid companyId, CancellationToken ct) => db.Connections.IgnoreQueryFilters().AsNoTracking()
            .Any(c => c.CompanyId == companyId && c.Status == ConnectionStatus.PendingAuth)));

    /// <summary>
    /// Inserts the marks the company reaches for the first time, each on its cohort day in <paramref name="cohortScope"/>,
    /// in one statement: the cohort is the day of the company's Started mark in that scope, which this statement inserts
    /// (on <paramref name="day"/>) when it is not there yet, and otherwise reads in the same statement (a subquery) —
    /// instead of an insert of the Started mark, a look-up of its day and an insert of the marks (issue 18 item 3,
    /// round 4). A later call of the same save (the consent page's Opened and ConsentViewed) passes the known cohort.
    /// Answers the marks added (the Started mark among them when it was), with their cohort day.
    /// </summary>
    private async Task<List<(string Scope, string Mark, DateOnly Day)>> InsertMarksAsync(JourneyEvent e, string cohortScope, DateOnly day,
        IReadOnlyList<(string Scope, string Mark)> marks, CancellationToken ct)
    {
        var added = new List<(string, string, DateOnly)>();
        if (marks.Count == 0)
        {
            return added;
        }

        var known = _cohorts.TryGetValue((e.CompanyId, cohortScope), out var cohort);
        if (!known)
        {
            marks = [(cohortScope, Started), .. marks.Where(m => m != (cohortScope, Started))];
        }

        await using var command = Command();
        var sql = new StringBuilder("INSERT INTO journey_marks (\"ClientId\", \"CompanyId\", \"Scope\", \"Mark\", \"Day\") SELECT @c, @co, v.column1, v.column2, ");
        Add(command, "c", e.ClientId);
        Add(command, "co", e.CompanyId);
        Add(command, "d", known ? cohort : day);
        if (known)
        {
            sql.Append("@d");
        }
        else
        {
            Add(command, "cs", cohortScope);
            sql.Append(CultureInfo.InvariantCulture,
                $"COALESCE((SELECT s.\"Day\" FROM journey_marks s WHERE s.\"CompanyId\" = @co AND s.\"Scope\" = @cs AND s.\"Mark\" = '{Started}'), @d)");
        }

        sql.Append(" FROM (VALUES ");
        for (var i = 0; i < marks.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@s{i}, @m{i})");
            Add(command, $"s{i}", marks[i].Scope);
            Add(command, $"m{i}", marks[i].Mark);
        }

        // "WHERE true": SQLite needs a WHERE before an upsert clause on INSERT ... SELECT.
        command.CommandText = sql.Append(") AS v WHERE true ON CONFLICT DO NOTHING RETURNING \"Scope\", \"Mark\", \"Day\"").ToString();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var markDay = _sqlite ? DateOnly.ParseExact(reader.GetString(2), "yyyy-MM-dd", CultureInfo.InvariantCulture) : reader.GetFieldValue<DateOnly>(2);
                added.Add((reader.GetString(0), reader.GetString(1), markDay));
            }
        }

        // Every mark of the statement has the cohort's day: learnt when one was added (none added: the next call asks again).
        if (!known && added.Count > 0)
        {
            _cohorts[(e.CompanyId, cohortScope)] = added[0].Item3;
        }

        return added;
    }

    private async Task CountAsync(Guid clientId, List<(string Scope, string Mark, DateOnly Day)> added, CancellationToken ct)
    {
        // Every mark added for one cohort scope has the same day; grouped all the same, as the statement takes one day.
        foreach (var byDay in added.GroupBy(m => m.Day))
        {
            await CountAsync(clientId, byDay.Key, byDay.Select(m => (m.Scope, m.Mark)), ct);
        }
    }

    private async Task CountAsync(Guid clientId, DateOnly day, IEnumerable<(string Scope, string Mark)> marks, CancellationToken ct)
    {
        // One order for every writer, so concurrent upserts of the same counters take their row locks in the same order.
        var rows = marks.Distinct().OrderBy(m => m.Scope, StringComparer.Ordinal).ThenBy(m => m.Mark, StringComparer.Ordinal).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = Command();
        var sql = new StringBuilder("INSERT INTO journey_daily_counts (\"ClientId\", \"Day\", \"Scope\", \"Mark\", \"Count\") VALUES ");
        Add(command, "c", clientId);
        Add(command, "d", day);
        for (var i = 0; i < rows.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@c, @d, @s{i}, @m{i}, 1)");
            Add(command, $"s{i}", rows[i].Scope);
            Add(command, $"m{i}", rows[i].Mark);
        }

        command.CommandText = sql.Append(" ON CONFLICT (\"ClientId\", \"Day\", \"Scope\", \"Mark\") DO UPDATE SET \"Count\" = journey_daily_counts.\"Count\" + excluded.\"Count\"").ToString();
        await command.ExecuteNonQueryAsync(ct);
    }

    private DbCommand Command()
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    /// <summary>Parameters stored as EF stores them: on SQLite, Guids as upper-case text and dates as yyyy-MM-dd.</summary>
    private void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = (_sqlite, value) switch
        {
            (true, Guid g) => g.ToString().ToUpperInvariant(),
            (true, DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => value,
        };
        command.Parameters.Add(parameter);
    }
}
