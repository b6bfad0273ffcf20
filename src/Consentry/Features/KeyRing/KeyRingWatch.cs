using Consentry.Core.Persistence;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Consentry.Infrastructure.Work;
using Microsoft.Extensions.Options;

namespace Consentry.Features.KeyRing;

/// <summary>
/// Data Protection's own key manager, with one addition: the key ring it caches can be dropped on demand. Data Protection
/// re-reads the ring only when this process changes it or once a day, so a key that another instance (or the
/// <c>rotate-keys</c> command) added would otherwise not be used here for up to a day. No setting of Data Protection
/// does this, hence the small decorator.
/// </summary>
public sealed class RefreshableKeyManager(IKeyManager inner) : IKeyManager, IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _refresh = new();
    private CancellationTokenSource? _linked;

    /// <summary>Makes the next use of Data Protection re-read the key ring (it refreshes in the background).</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            var old = _refresh;
            _refresh = new CancellationTokenSource();
            old.Cancel();
        }
    }

    public CancellationToken GetCacheExpirationToken()
    {
        lock (_gate)
        {
            // Called once per ring rebuild; the previous link is no longer watched by anyone.
            _linked?.Dispose();
            _linked = CancellationTokenSource.CreateLinkedTokenSource(inner.GetCacheExpirationToken(), _refresh.Token);
            return _linked.Token;
        }
    }

    public void Dispose()
    {
        _linked?.Dispose();
        _refresh.Dispose();
    }

    public IKey CreateNewKey(DateTimeOffset activationDate, DateTimeOffset expirationDate) => inner.CreateNewKey(activationDate, expirationDate);

    public IReadOnlyCollection<IKey> GetAllKeys() => inner.GetAllKeys();

    public void RevokeAllKeys(DateTimeOffset revocationDate, string? reason = null) => inner.RevokeAllKeys(revocationDate, reason);

    public void RevokeKey(Guid keyId, string? reason = null) => inner.RevokeKey(keyId, reason);
}

/// <summary>
/// Watches the shared key ring (one cheap query: count and highest id of <c>data_protection_keys</c>; revocations are
/// rows too) and drops this instance's cached ring when it changed, so a rotation takes effect on every instance within
/// <see cref="KeyOptions.RingCheckMilliseconds"/>.
/// </summary>
public sealed class KeyRingWatcher(IServiceScopeFactory scopes, RefreshableKeyManager keys, IOptions<KeyOptions> options, ILogger<KeyRingWatcher> logger)
    : PeriodicWork
{
    private (int Count, int MaxId)? _seen;

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.RingCheckMilliseconds);

    public override async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConsentryDbContext>();
            var now = (await db.DataProtectionKeys.CountAsync(ct), await db.DataProtectionKeys.MaxAsync(k => (int?)k.Id, ct) ?? 0);
            if (_seen is { } seen && seen != now)
            {
                logger.LogInformation("The shared key ring changed; reloading it.");
                keys.Refresh();
            }

            _seen = now;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Checking the shared key ring failed; trying again later.");
        }
    }
}
