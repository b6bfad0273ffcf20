using Consentry.Core.Clients;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Consentry.Features.Webhooks;

/// <summary>Codat's <c>WebhookZapierKey</c>.</summary>
public sealed record WebhookZapierKey(string Key);

/// <summary>
/// <c>POST /webhooks/integrationKeys/zapier</c>: the key a Zapier integration authenticates with. Consentry has no
/// separate key kind, so it is an API key named <see cref="Name"/> (listed in <c>GET /apiKeys</c>, counted in the limit
/// of ten): each call creates a new one and deletes the previous, in one transaction, so the old key stops working at once.
/// </summary>
internal static class ZapierKey
{
    public const string Name = "Zapier integration key";

    public static async Task<Results<Created<WebhookZapierKey>, CodatError>> Rotate(
        ConsentryDbContext db, CurrentClient client, IMemoryCache cache, TimeProvider time, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The client's row lock, as for every key create, so concurrent creates and rotations count keys one at a time.
        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE clients SET \"Name\" = \"Name\" WHERE \"Id\" = {client.Id}", ct);
        var previous = await db.ApiKeys.Where(k => k.Name == Name).ToListAsync(ct);
        if (previous.Count == 0 && await db.ApiKeys.CountAsync(ct) >= ApiKey.MaxPerClient)
        {
            return new CodatError(new Error(ErrorKind.Forbidden,
                $"A client can have at most {ApiKey.MaxPerClient} API keys and the Zapier key is one: delete a key first."));
        }

        var secret = ApiKeySecret.Generate();
        db.ApiKeys.RemoveRange(previous);
        db.ApiKeys.Add(new ApiKey
        {
            Id = Guid.CreateVersion7(), Name = Name, Hash = ApiKeySecret.Hash(secret), Hint = ApiKeySecret.Hint(secret), Created = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        foreach (var key in previous)
        {
            ApiKeyAuthenticationHandler.Forget(cache, key.Hash);
        }

        return TypedResults.Created((string?)null, new WebhookZapierKey(secret));
    }
}
