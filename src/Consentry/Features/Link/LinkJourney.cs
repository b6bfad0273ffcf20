using Consentry.Core.Clients;
using Consentry.Core.Companies;
using Consentry.Core.Connections;
using Consentry.Core.Consents;
using Consentry.Core.Errors;
using Consentry.Core.Integrations;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Core.Tenancy;
using Consentry.Domain;
using Consentry.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Link;

/// <summary>The company (with its client) a Link page is about; the tenant is set from it.</summary>
public sealed record LinkContext(Client Client, Company Company, LinkSettings Settings);

/// <summary>One category of the company journey as the customer sees it now.</summary>
public sealed record CategoryView(string Key, string Title, SourceType SourceType, CategorySettings Settings,
    IReadOnlyList<IntegrationDefinition> Integrations, Connection? Linked, int Uploads, bool Skipped)
{
    public bool Satisfied => Linked is not null || Uploads > 0 || (Settings.Optional && Skipped);
}

/// <summary>
/// The company journey behind every Link entry point (the Company page, a connection's Start page, the SDK API), which
/// are thin adapters over it: find the company, show its categories, choose a platform, skip, complete, confirm an
/// additional consent, and record each step's journey events. Each page step saves once (the monitoring counters
/// follow that save, <see cref="Monitoring.AuthFlowRollupsInterceptor"/>). The sign-in itself is
/// <see cref="OAuthHandOff"/>'s.
/// </summary>
public sealed class LinkJourney(
    ConsentryDbContext db, ClientContext tenant, IntegrationCatalogue catalogue, ConnectionLifecycle lifecycle, TimeProvider time,
    Monitoring.Experiments.LinkVariants variants, ConsentLedger ledger, Consents.ConsentChanges changes, IClientCache clients)
{
    private static readonly (string Key, string Title, SourceType Type)[] AllCategories =
        [("accounting", "Accounting", SourceType.Accounting), ("banking", "Banking", SourceType.Banking), ("commerce", "Commerce", SourceType.Commerce)];

    /// <summary>
    /// Loads the company of a public Link URL (no API key here) and scopes everything after it to its client; a step that
    /// already read the company (with its tags) in this request passes it as <paramref name="loaded"/>.
    /// </summary>
    public async Task<LinkContext?> LoadAsync(Guid companyId, CancellationToken ct, Company? loaded = null)
    {
        var company = loaded?.Id == companyId ? loaded
            : await CompanyById.For(db)(db, companyId, ct);
        return company is null ? null : await ContextAsync(company, ct);
    }

    /// <summary>
    /// <see cref="LoadAsync"/> and <see cref="ConnectionAsync"/> of a page about one connection, in one statement: the
    /// company, its tags and the connection, left-joined (one row per tag). Null when the company is unknown; the
    /// connection is null when the company has no such connection (both are null when the company's client is gone).
    /// </summary>
    public async Task<(LinkContext? Link, Connection? Connection)> LoadAsync(Guid companyId, Guid connectionId, CancellationToken ct)
    {
        Company? company = null;
        Connection? connection = null;
        await foreach (var row in CompanyAndConnection.For(db)(db, companyId, connectionId).WithCancellation(ct))
        {
            // Tracked: one instance each, and EF's fix-up puts every tag in the company's Tags.
            company ??= row.Company;
            connection ??= row.Connection;
        }

        return company is not null && await ContextAsync(company, ct) is { } link ? (link, connection) : (null, null);
    }

    private async Task<LinkContext?> ContextAsync(Company company, CancellationToken ct)
    {
        tenant.Set(company.ClientId);
        // The client row and its settings, read on every Link page: from the client cache (a shared, read-only copy; a
        // change made here is seen at once, one made on another instance within Consentry:ClientCacheSeconds).
        if (await clients.GetAsync(company.ClientId, ct) is not { } client)
        {
            return null;
        }

        // A running experiment's variant (assigned on this first view, sticky after) changes what the pages show.
        var (settings, _) = await variants.ForCompanyAsync(company.Id, client.LinkSettings ?? new LinkSettings(), ct);
        return new LinkContext(client, company, settings);
    }

    public Task<Connection?> ConnectionAsync(Guid companyId, Guid connectionId, CancellationToken ct) =>
        ConnectionById.For(db)(db, companyId, connectionId, ct);

    // The look-ups of every Link page, compiled once per model: EF neither walks the expression tree for its parameters
    // nor looks the translation up in its query cache on each call (issue 18 item 3, round 4). Both stay tracked: a page
    // step may change the connection, and connections it creates refer to the company.
    private static readonly PerModel<Func<ConsentryDbContext, Guid, CancellationToken, Task<Company?>>> CompanyById = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid id, CancellationToken ct) =>
            db.Companies.IgnoreQueryFilters().Include(c => c.Tags).FirstOrDefault(c => c.Id == id)));

    /// <summary>
    /// Flat rows, not <c>Include</c> (whose shaper creates delegates on every row). The connection is matched on the
    /// company's own client, which is what the tenant filter of <see cref="ConnectionById"/> checks once the company has
    /// set it.
    /// </summary>
    private static readonly PerModel<Func<ConsentryDbContext, Guid, Guid, IAsyncEnumerable<CompanyRow>>> CompanyAndConnection = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid id, Guid connectionId) =>
            from c in db.Companies.IgnoreQueryFilters().Where(c => c.Id == id)
            from t in db.Set<CompanyTag>().Where(t => t.CompanyId == c.Id).DefaultIfEmpty()
            from x in db.Connections.IgnoreQueryFilters().Where(x => x.Id == connectionId && x.CompanyId == c.Id && x.ClientId == c.ClientId).DefaultIfEmpty()
            select new CompanyRow(c, t, x)));

    private sealed record CompanyRow(Company Company, CompanyTag? Tag, Connection? Connection);

    private static readonly PerModel<Func<ConsentryDbContext, Guid, Guid, CancellationToken, Task<Connection?>>> ConnectionById = new(() =>
        EF.CompileAsyncQuery((ConsentryDbContext db, Guid companyId, Guid id, CancellationToken ct) =>
            db.Connections.FirstOrDefault(c => c.Id == id && c.CompanyId == companyId)));

    /// <summary>Notes a journey event, saved with the step's next save (<see cref="SaveAsync"/>): one commit per page step.</summary>
    public void Note(Guid companyId, JourneyStep step, Connection? connection = null, string? detail = null, SourceType? sourceType = null) =>
        db.JourneyEvents.Add(new JourneyEvent
        {
            Id = Guid.CreateVersion7(),
            CompanyId = companyId,
            ConnectionId = connection?.Id,
            Step = step,
            SourceType = connection?.SourceType ?? sourceType,
            PlatformKey = connection?.PlatformKey,
            Detail = detail,
            At = time.GetUtcNow().UtcDateTime,
        });

    /// <summary>Saves the step: its changes and journey events, with their monitoring counters, in one commit.</summary>
    public Task SaveAsync(CancellationToken ct) => db.SaveChangesAsync(ct);

    /// <summary>Records one journey event on its own (a step that changes nothing else).</summary>
    public Task RecordAsync(Guid companyId, JourneyStep step, Connection? connection = null, string? detail = null,
        SourceType? sourceType = null, CancellationToken ct = default)
    {
        Note(companyId, step, connection, detail, sourceType);
        return SaveAsync(ct);
    }

    /// <summary>
    /// The categories the client enabled, in its order, each with the integrations offered (enabled, sandboxes unless
    /// hidden, matching the search), the latest Linked connection, the uploads, and whether it was skipped.
    /// </summary>
    public async Task<IReadOnlyList<CategoryView>> CategoriesAsync(LinkContext link, string? search, bool showSandboxes, CancellationToken ct)
    {
        var companyId = link.Company.Id;
        var settings = await db.IntegrationSettings.AsNoTracking().ToDictionaryAsync(s => s.PlatformKey, ct);
        var linked = await db.Connections.AsNoTracking().Where(c => c.CompanyId == companyId && c.Status == ConnectionStatus.Linked).ToListAsync(ct);
        var uploads = await db.UploadedFiles.AsNoTracking().Where(f => f.CompanyId == companyId).GroupBy(f => f.Category)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var skipped = await db.JourneyEvents.AsNoTracking().Where(e => e.CompanyId == companyId && e.Step == JourneyStep.CategorySkipped)
            .Select(e => e.Detail).Distinct().ToListAsync(ct);

        return [.. AllCategories
            .Select(c => (c.Key, c.Title, c.Type, Settings: link.Settings.For(c.Type)!))
            .Where(c => c.Settings.Enabled)
            .OrderBy(c => link.Settings.CategoryRank(c.Key))
            .Select(c => new CategoryView(c.Key, c.Title, c.Type, c.Settings,
                [.. catalogue.All.Where(i => i.SourceType == c.Type && i.IsEnabledFor(settings.GetValueOrDefault(i.PlatformKey)) && (showSandboxes || !i.IsSandbox)
                                         && (search is null || i.Name.Contains(search, StringComparison.OrdinalIgnoreCase)))],
                linked.Where(l => l.SourceType == c.Type).MaxBy(l => l.Created),
                uploads.GetValueOrDefault(c.Key),
                skipped.Contains(c.Key)))];
    }

    /// <summary>The company's pending (or consent-expired) connection to the platform, or a new one (not a journey step).</summary>
    public Task<Result<Connection>> ConnectionForAsync(LinkContext link, IntegrationDefinition integration, CancellationToken ct) =>
        lifecycle.PendingOrNewAsync(link.Company, integration, ct);

    /// <summary>The customer chose a platform: its connection (reused or new) and the IntegrationSelected event, saved together.</summary>
    public async Task<Result<Connection>> ChooseAsync(LinkContext link, IntegrationDefinition integration, CancellationToken ct)
    {
        var connection = await lifecycle.PendingOrNewAsync(link.Company, integration, ct);
        if (connection.IsSuccess)
        {
            await RecordAsync(link.Company.Id, JourneyStep.IntegrationSelected, connection.Value, ct: ct);
        }

        return connection;
    }

    /// <summary>Completes the company journey: every category left unsatisfied counts as skipped, then Completed; one save.</summary>
    public Task CompleteAsync(Guid companyId, IEnumerable<CategoryView> categories, CancellationToken ct)
    {
        // Completing without an optional category skips it, as the Skip button would (monitoring counts it as done).
        foreach (var left in categories.Where(c => !c.Satisfied))
        {
            Note(companyId, JourneyStep.CategorySkipped, detail: left.Key, sourceType: left.SourceType);
        }

        Note(companyId, JourneyStep.Completed);
        return SaveAsync(ct);
    }

    /// <summary>The first Linked connection (or this one) that awaits an additional consent for products it was not consented for.</summary>
    public async Task<(Connection Connection, List<(Product Product, List<string> Types)> Products)?> PendingAdditionalAsync(
        Guid companyId, Guid? connectionId, CancellationToken ct)
    {
        var pending = (await ledger.PendingAsync(companyId, ct, connectionId)).FirstOrDefault();
        return pending.Connection is null ? null : pending;
    }

    /// <summary>The customer agreed to share more from a Linked connection (no new sign-in): the products are granted.</summary>
    public async Task ConfirmAdditionalAsync(Guid connectionId, IReadOnlyList<(Product Product, List<string> Types)> products, ConsentCapture capture,
        CancellationToken ct)
    {
        var connection = await db.Connections.FirstAsync(c => c.Id == connectionId, ct);
        await changes.ConfirmAdditionalAsync(connection, products, capture, ct);
    }
}
