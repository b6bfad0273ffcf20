using System.Security.Cryptography;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.KeyRing;

/// <summary>What one batch did: how many rows it read, the last key read (the cursor), and what it rewrote.</summary>
public readonly record struct BatchResult(int Read, string? Last, int Rewritten, int Unreadable, int Conflicts);

/// <summary>Decrypts a ciphertext and encrypts it again under the rotation's key; leaves those already under it alone.</summary>
public sealed class Reencryptor(SecretProtector secrets, Guid newKeyId)
{
    public int Unreadable { get; private set; }

    /// <summary>The new ciphertext, or the same string when there is nothing to do (already under the key, or unreadable).</summary>
    public string? Rewrite(string? payload)
    {
        if (payload is null || ProtectedPayload.KeyIdOf(payload) == newKeyId)
        {
            return payload;
        }

        try
        {
            return secrets.Protect(secrets.Unprotect(payload));
        }
        catch (CryptographicException)
        {
            // Its key is gone or revoked: nothing can read it, so it stays as it is (counted, never logged).
            Unreadable++;
            return payload;
        }
    }
}

/// <summary>
/// One table holding ciphertexts, walked in key order in batches. Every rewrite is a conditional update (only if the
/// ciphertext is still the one read), so a concurrent writer, e.g. a token refresh, always wins over the job: the job's
/// next walk checks that row again.
/// </summary>
public abstract class CiphertextTable
{
    public static readonly IReadOnlyList<CiphertextTable> All =
        [new ConnectionTokensTable(), new OAuthFlowsTable(), new WebhookSecretsTable(), new IntegrationSettingsTable()];

    public abstract string Name { get; }

    public abstract Task<BatchResult> RewriteBatchAsync(ConsentryDbContext db, string? after, int size, Reencryptor reencryptor, CancellationToken ct);

    protected static Guid? AfterGuid(string? after) => after is null ? null : Guid.Parse(after);

    /// <summary>Rewrites each row's ciphertexts that are not yet under the new key, each row with one conditional update.</summary>
    protected static async Task<BatchResult> RewriteRowsAsync<TRow>(
        IReadOnlyList<TRow> rows, Func<TRow, string> keyOf, Func<TRow, string?[]> payloadsOf, Func<TRow, string?[], Task<int>> update, Reencryptor reencryptor)
    {
        int rewritten = 0, conflicts = 0, unreadable = reencryptor.Unreadable;
        foreach (var row in rows)
        {
            var old = payloadsOf(row);
            var fresh = old.Select(reencryptor.Rewrite).ToArray();
            if (old.Zip(fresh).All(p => ReferenceEquals(p.First, p.Second)))
            {
                continue;
            }

            var updated = await update(row, fresh);
            rewritten += updated;
            conflicts += 1 - updated;
        }

        return new(rows.Count, rows.Count == 0 ? null : keyOf(rows[^1]), rewritten, reencryptor.Unreadable - unreadable, conflicts);
    }
}

internal sealed class ConnectionTokensTable : CiphertextTable
{
    public override string Name => "connection_tokens";

    public override async Task<BatchResult> RewriteBatchAsync(ConsentryDbContext db, string? after, int size, Reencryptor reencryptor, CancellationToken ct)
    {
        var from = AfterGuid(after);
        var rows = await db.ConnectionTokens.IgnoreQueryFilters().AsNoTracking()
            .Where(t => from == null || t.ConnectionId > from.Value).OrderBy(t => t.ConnectionId).Take(size)
            .Select(t => new { t.ConnectionId, t.ProtectedAccessToken, t.ProtectedRefreshToken }).ToListAsync(ct);
        return await RewriteRowsAsync(rows, r => r.ConnectionId.ToString(), r => [r.ProtectedAccessToken, r.ProtectedRefreshToken], (r, fresh) =>
            db.ConnectionTokens.IgnoreQueryFilters()
                .Where(t => t.ConnectionId == r.ConnectionId && t.ProtectedAccessToken == r.ProtectedAccessToken && t.ProtectedRefreshToken == r.ProtectedRefreshToken)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ProtectedAccessToken, fresh[0]!).SetProperty(t => t.ProtectedRefreshToken, fresh[1]), ct), reencryptor);
    }
}

internal sealed class OAuthFlowsTable : CiphertextTable
{
    public override string Name => "oauth_flows";

    public override async Task<BatchResult> RewriteBatchAsync(ConsentryDbContext db, string? after, int size, Reencryptor reencryptor, CancellationToken ct)
    {
        var from = AfterGuid(after);
        var rows = await db.OAuthFlows.IgnoreQueryFilters().AsNoTracking()
            .Where(f => from == null || f.Id > from.Value).OrderBy(f => f.Id).Take(size)
            .Select(f => new { f.Id, f.ProtectedCodeVerifier }).ToListAsync(ct);
        return await RewriteRowsAsync(rows, r => r.Id.ToString(), r => [r.ProtectedCodeVerifier], (r, fresh) =>
            db.OAuthFlows.IgnoreQueryFilters().Where(f => f.Id == r.Id && f.ProtectedCodeVerifier == r.ProtectedCodeVerifier)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.ProtectedCodeVerifier, fresh[0]!), ct), reencryptor);
    }
}

internal sealed class WebhookSecretsTable : CiphertextTable
{
    public override string Name => "webhook_secrets";

    public override async Task<BatchResult> RewriteBatchAsync(ConsentryDbContext db, string? after, int size, Reencryptor reencryptor, CancellationToken ct)
    {
        var from = AfterGuid(after);
        var rows = await db.WebhookSecrets.IgnoreQueryFilters().AsNoTracking()
            .Where(w => from == null || w.Id > from.Value).OrderBy(w => w.Id).Take(size)
            .Select(w => new { w.Id, w.ProtectedKey }).ToListAsync(ct);
        return await RewriteRowsAsync(rows, r => r.Id.ToString(), r => [r.ProtectedKey], (r, fresh) =>
            db.WebhookSecrets.IgnoreQueryFilters().Where(w => w.Id == r.Id && w.ProtectedKey == r.ProtectedKey)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.ProtectedKey, fresh[0]!), ct), reencryptor);
    }
}

/// <summary>Keyed by (client, platform): the cursor is <c>{clientId}/{platformKey}</c>.</summary>
internal sealed class IntegrationSettingsTable : CiphertextTable
{
    public override string Name => "integration_settings";

    public override async Task<BatchResult> RewriteBatchAsync(ConsentryDbContext db, string? after, int size, Reencryptor reencryptor, CancellationToken ct)
    {
        var (client, platform) = after is null ? (Guid.Empty, "") : (Guid.Parse(after[..36]), after[37..]);
        var first = after is null;
        var rows = await db.IntegrationSettings.IgnoreQueryFilters().AsNoTracking()
            .Where(s => first || s.ClientId > client || (s.ClientId == client && string.Compare(s.PlatformKey, platform) > 0))
            .OrderBy(s => s.ClientId).ThenBy(s => s.PlatformKey).Take(size)
            .Select(s => new { s.ClientId, s.PlatformKey, s.ProtectedClientSecret }).ToListAsync(ct);
        return await RewriteRowsAsync(rows, r => $"{r.ClientId}/{r.PlatformKey}", r => [r.ProtectedClientSecret], (r, fresh) =>
            db.IntegrationSettings.IgnoreQueryFilters()
                .Where(s => s.ClientId == r.ClientId && s.PlatformKey == r.PlatformKey && s.ProtectedClientSecret == r.ProtectedClientSecret)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ProtectedClientSecret, fresh[0]), ct), reencryptor);
    }
}
