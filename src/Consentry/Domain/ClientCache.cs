using Consentry.Core.Clients;
using Consentry.Core.Link;
using Consentry.Core.Persistence;
using Consentry.Core.Webhooks;
using Consentry.Infrastructure.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Consentry.Domain;

/// <summary>
/// What nearly every request of a client re-reads and rarely changes: the client row (name, profile, CORS origins,
/// sync and Link settings), its enabled webhook consumers and its running Link experiment (every Link page and every
/// journey event's counters ask; almost always there is none). Per instance, bounded, and with the API-key cache's
/// staleness rule (docs/operations.md#caches-and-cluster-mode): a change saved through EF on this instance is seen
/// at once here (<see cref="ClientCacheInvalidation"/> forgets the entries when the save commits); another instance
/// sees it within <c>Consentry:ClientCacheSeconds</c> (10 s by default; 0 turns the cache off).
/// </summary>
public interface IClientCache
{
    /// <summary>
    /// The client row, or null when there is none. A shared, read-only snapshot: never change or attach it; to change
    /// the client, load it tracked from the DbContext and save (which forgets this entry).
    /// </summary>
    ValueTask<Client?> GetAsync(Guid clientId, CancellationToken ct);

    /// <summary>
    /// The client's webhook consumers that are not disabled (read-only snapshots, without their secrets). May be up to
    /// the cache lifetime old on another instance: code that writes rows pointing at a consumer confirms it first
    /// (see <see cref="WebhookOutbox"/>).
    /// </summary>
    ValueTask<IReadOnlyList<WebhookConsumer>> EnabledConsumersAsync(Guid clientId, CancellationToken ct);

    /// <summary>
    /// The client's running experiment (a read-only snapshot, variants included), or null when none runs. Starting or
    /// stopping one on another instance is seen here within the cache lifetime, like a settings change.
    /// </summary>
    ValueTask<Experiment?> RunningExperimentAsync(Guid clientId, CancellationToken ct);

    /// <summary>Forgets everything held about the client on this instance (for changes made outside EF's change tracker).</summary>
    void Forget(Guid clientId);
}

internal sealed class ClientCache(IServiceProvider services, IOptions<ConsentryOptions> options) : IClientCache, IDisposable
{
    /// <summary>Three entries per client: enough for thousands of active clients, and the memory stays bounded.</summary>
    public const int MaxEntries = 20_000;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    private TimeSpan Lifetime => TimeSpan.FromSeconds(options.Value.ClientCacheSeconds);

    public ValueTask<Client?> GetAsync(Guid clientId, CancellationToken ct) =>
        GetOrLoadAsync(new ClientKey(clientId), async db =>
            await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clientId, ct), ct);

    public async ValueTask<IReadOnlyList<WebhookConsumer>> EnabledConsumersAsync(Guid clientId, CancellationToken ct) =>
        (await GetOrLoadAsync<IReadOnlyList<WebhookConsumer>>(new ConsumersKey(clientId), async db =>
            await db.WebhookConsumers.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.ClientId == clientId && !c.Disabled).OrderBy(c => c.Created).ThenBy(c => c.Id).ToListAsync(ct), ct))!;

    public ValueTask<Experiment?> RunningExperimentAsync(Guid clientId, CancellationToken ct) =>
        GetOrLoadAsync(new ExperimentKey(clientId), async db =>
            await db.Experiments.IgnoreQueryFilters().AsNoTracking()
                .FirstOrDefaultAsync(e => e.ClientId == clientId && e.Status == ExperimentStatus.Running, ct), ct);

    public void Forget(Guid clientId)
    {
        _cache.Remove(new ClientKey(clientId));
        _cache.Remove(new ConsumersKey(clientId));
        _cache.Remove(new ExperimentKey(clientId));
    }

    public void Dispose() => _cache.Dispose();

    private async ValueTask<T?> GetOrLoadAsync<T>(object key, Func<ConsentryDbContext, Task<T?>> load, CancellationToken ct)
    {
        if (_cache.TryGetValue(key, out T? cached))
        {
            return cached;
        }

        // A context of its own (no tenant: the queries name the client), so a miss works from any scope or worker.
        // The factory is resolved here, not injected: the DbContext options take the interceptors, one of which is
        // ClientCacheInvalidation, which takes this cache.
        await using var db = await services.GetRequiredService<IDbContextFactory<ConsentryDbContext>>().CreateDbContextAsync(ct);
        var value = await load(db);
        if (Lifetime > TimeSpan.Zero)
        {
            _cache.Set(key, value, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        }

        return value;
    }

    private sealed record ClientKey(Guid ClientId);

    private sealed record ConsumersKey(Guid ClientId);

    private sealed record ExperimentKey(Guid ClientId);
}
