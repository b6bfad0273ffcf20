using Consentry.Core.Clients;
using Consentry.Core.Errors;
using Consentry.Core.Persistence;
using Consentry.Core.Security;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Consentry.Infrastructure.Idempotency;

namespace Consentry.Features.ApiKeys;

/// <summary>Codat's <c>ApiKeyDetails</c>. The full key appears only in the response that creates it; lists show a hint.</summary>
public sealed record ApiKeyResponse(Guid Id, string? Name, string ApiKey, DateTime CreatedDate);

public sealed record CreateApiKeyRequest(string? Name);

/// <summary><c>GET/POST /apiKeys</c>, <c>DELETE /apiKeys/{apiKeyId}</c>: at most ten keys per client.</summary>
public static class ApiKeysEndpoints
{
    public const int MaxNameLength = 50;

    public static RouteGroupBuilder MapApiKeysApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/apiKeys").WithTags("Settings");
        keys.MapGet("/", List).WithName("list-api-keys");
        keys.MapPost("/", Create).WithName("create-api-key").WithIdempotency();
        keys.MapDelete("/{apiKeyId:guid}", Delete).WithName("delete-api-key");
        return api;
    }

    internal static async Task<Ok<ResultList<ApiKeyResponse>>> List(ConsentryDbContext db, CancellationToken ct)
    {
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Created).ThenBy(k => k.Id).ToListAsync(ct);
        return TypedResults.Ok(new ResultList<ApiKeyResponse>([.. keys.Select(k => new ApiKeyResponse(k.Id, k.Name, k.Hint, k.Created))]));
    }

    internal static async Task<Results<Created<ApiKeyResponse>, CodatError>> Create(
        CreateApiKeyRequest? body, ConsentryDbContext db, CurrentClient client, TimeProvider time, CancellationToken ct)
    {
        if (body?.Name is { Length: > MaxNameLength })
        {
            return new CodatError(Error.Validation($"name must be at most {MaxNameLength} characters."));
        }

        // Inside an Idempotency-Key's transaction already, or in one of its own.
        var owned = db.Database.CurrentTransaction is null;
        await using var transaction = owned ? await db.Database.BeginTransactionAsync(ct) : null;
        // Take the client's row lock first so two concurrent creates cannot both see nine keys.
        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE clients SET \"Name\" = \"Name\" WHERE \"Id\" = {client.Id}", ct);
        if (await db.ApiKeys.CountAsync(ct) >= ApiKey.MaxPerClient)
        {
            return new CodatError(Error.Conflict($"A client can have at most {ApiKey.MaxPerClient} API keys; delete one first."));
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

        return TypedResults.Created($"/apiKeys/{key.Id}", new ApiKeyResponse(key.Id, key.Name, secret, key.Created));
    }

    internal static async Task<Results<NoContent, CodatError>> Delete(
        Guid apiKeyId, ConsentryDbContext db, IMemoryCache cache, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == apiKeyId, ct);
        if (key is null)
        {
            return new CodatError(Error.NotFound($"No API key was found with ID {apiKeyId}."));
        }

        if (await db.ApiKeys.CountAsync(ct) == 1)
        {
            return new CodatError(Error.Conflict("The last API key cannot be deleted: create another key first."));
        }

        db.ApiKeys.Remove(key);
        await db.SaveChangesAsync(ct);
        ApiKeyAuthenticationHandler.Forget(cache, key.Hash);
        return TypedResults.NoContent();
    }
}
