using System.ComponentModel.DataAnnotations;
using Consentry.Core.Connections;
using Consentry.Core.Persistence;
using Consentry.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consentry.Features.Consents;

/// <summary><c>Consentry:Consents</c>: when consent expiry is announced, and how often it is checked.</summary>
public sealed class ConsentOptions
{
    public const string Section = "Consentry:Consents";

    /// <summary>How long before a platform consent ends <c>connection.consent.expiring</c> is sent (default 7 days).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")]
    public TimeSpan ExpiryWarning { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How often each instance looks for consents that expire or are about to (milliseconds, default 5 s). Nothing is
    /// held between polls (each step commits with its event or not at all), so a step an instance died in is done by the
    /// next poll of any instance: within this.
    /// </summary>
    [Range(10, 3_600_000)]
    public int PollMilliseconds { get; set; } = 5_000;
}

/// <summary>
/// Consent expiry (Open Banking style platforms): a <c>connection.consent.expiring</c> event some time before the end,
/// then, at the end, the connection becomes <c>Deauthorized</c> with <c>connection.disconnected</c> and its consents end
/// as <c>Expired</c> in the ledger. Each step is claimed by a conditional update in the transaction that writes its
/// event, so with several instances polling each happens exactly once. The same <c>linkUrl</c> re-consents.
/// </summary>
public sealed class ConsentExpiry(IServiceScopeFactory scopes, IOptionsMonitor<ConsentOptions> options, TimeProvider time, ILogger<ConsentExpiry> logger)
    : BackgroundService
{
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var warnFrom = now + options.CurrentValue.ExpiryWarning;
        List<(Guid Id, Guid ClientId, bool Expired)> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
            var found = await db.Connections.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.Status == ConnectionStatus.Linked && c.ConsentExpiresAt != null && c.ConsentExpiresAt <= warnFrom
                            && (c.ConsentExpiresAt <= now || c.ConsentExpiryWarnedAt == null))
                .OrderBy(c => c.ConsentExpiresAt).Take(200)
                .Select(c => new { c.Id, c.ClientId, c.ConsentExpiresAt }).ToListAsync(ct);
            due = [.. found.Select(c => (c.Id, c.ClientId, c.ConsentExpiresAt <= now))];
        }

        var done = 0;
        foreach (var (id, clientId, expired) in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ClientContext>().Set(clientId);
            done += expired ? await ExpireAsync(scope.ServiceProvider, id, now, ct) : await WarnAsync(scope.ServiceProvider, id, now, ct);
        }

        return done;
    }

    private static async Task<int> WarnAsync(IServiceProvider services, Guid id, DateTime now, CancellationToken ct)
    {
        var db = services.GetRequiredService<ConsentryDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.Connections.Where(c => c.Id == id && c.Status == ConnectionStatus.Linked && c.ConsentExpiryWarnedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsentExpiryWarnedAt, now), ct);
        if (claimed == 0)
        {
            return 0;
        }

        var connection = await db.Connections.AsNoTracking().FirstAsync(c => c.Id == id, ct);
        var company = await db.Companies.AsNoTracking().Include(c => c.Tags).FirstAsync(c => c.Id == connection.CompanyId, ct);
        await services.GetRequiredService<WebhookOutbox>().ConsentExpiringAsync(company, connection, connection.ConsentExpiresAt!.Value, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return 1;
    }

    private static async Task<int> ExpireAsync(IServiceProvider services, Guid id, DateTime now, CancellationToken ct)
    {
        var db = services.GetRequiredService<ConsentryDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var connection = await db.Connections.FirstOrDefaultAsync(c => c.Id == id, ct);
        // Deauthorizing is claimed by a conditional update, so with several instances polling one of them does it.
        if (connection is null || !await services.GetRequiredService<ConnectionLifecycle>().DeauthorizeAsync(connection, Deauthorization.ConsentExpired, expiredBy: now, ct))
        {
            return 0;
        }

        await transaction.CommitAsync(ct);
        return 1;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Checking consent expiry failed; it is tried again at the next poll.");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.CurrentValue.PollMilliseconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
