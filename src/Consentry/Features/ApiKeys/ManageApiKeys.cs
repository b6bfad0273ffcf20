using Consentry.Core.Clients;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Consentry.Features.ApiKeys;

/// <summary>
/// A client's API keys: at most ten, never the last one deleted, a new key's secret answered once. Each answers a value
/// or why not; <see cref="ApiKeysEndpoints"/> (<c>/apiKeys</c>) and the portal's Settings › API keys page adapt it.
/// </summary>
internal static class ManageApiKeys
{
    public const int MaxNameLength = 50;

    /// <summary>The keys, oldest first, each with its hint in place of the secret.</summary>
    public static async Task<IReadOnlyList<ApiKeyResponse>> ListAsync(ConsentryDbContext db, CancellationToken ct)
    {
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Created).ThenBy(k => k.Id).ToListAsync(ct);
        return [.. keys.Select(k => new ApiKeyResponse(k.Id, k.Name, k.Hint, k.Created))];
    }

    /// <summary>A new key, its full secret in <see cref="ApiKeyResponse.ApiKey"/> (the only time it is shown).</summary>
    public static async Task<Result<ApiKeyResponse>> CreateAsync(
        CreateApiKeyRequest? body, ConsentryDbContext db, CurrentClient client, TimeProvider time, CancellationToken ct)
    {
        if (body?.Name is { Length: > MaxNameLength })
        {
            return Error.Validation($"name must be at most {MaxNameLength} characters.");
        }

        // Inside an Idempotency-Key's transaction already, or in one of its own.
        var owned = db.Database.CurrentTransaction is null;
        await using var transaction = owned ? await db.Database.BeginTransactionAsync(ct) : null;
        // Take the client's row lock first so two concurrent creates cannot both see nine keys.
        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE clients SET \"Name\" = \"Name\" WHERE \"Id\" = {client.Id}", ct);
        if (await db.ApiKeys.CountAsync(ct) >= ApiKey.MaxPerClient)
        {
            return Error.Conflict($"A client can have at most {ApiKey.MaxPerClient} API keys; delete one first.");
        }

        var secret = ApiKeySecret.Generate();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            Name = string.IsNullOrWhiteSpace(body?.Name) ? null : body.Name.Trim(),
            Hash = ApiKeySecret.Hash(secret),
            Hint = ApiKeySecret.Hint(secret),
            Created = time.GetUtcNow().UtcDateTime,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }

        return new ApiKeyResponse(key.Id, key.Name, secret, key.Created);
    }

    /// <summary>Deletes the key and forgets it on this instance; null when done, else why not.</summary>
    public static async Task<Error?> DeleteAsync(Guid apiKeyId, ConsentryDbContext db, IMemoryCache cache, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == apiKeyId, ct);
        if (key is null)
        {
            return Error.NotFound($"No API key was found with ID {apiKeyId}.");
        }

        if (await db.ApiKeys.CountAsync(ct) == 1)
        {
            return Error.Conflict("The last API key cannot be deleted: create another key first.");
        }

        db.ApiKeys.Remove(key);
        await db.SaveChangesAsync(ct);
        ApiKeyAuthenticationHandler.Forget(cache, key.Hash);
        return null;
    }
}
