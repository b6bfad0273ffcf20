using Consentry.Core.Persistence;
using Consentry.Infrastructure.Errors;
using Consentry.Infrastructure.Http;
using Consentry.Infrastructure.Idempotency;
using Consentry.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;

namespace Consentry.Features.ApiKeys;

/// <summary>Codat's <c>ApiKeyDetails</c>. The full key appears only in the response that creates it; lists show a hint.</summary>
public sealed record ApiKeyResponse(Guid Id, string? Name, string ApiKey, DateTime CreatedDate);

public sealed record CreateApiKeyRequest(string? Name);

/// <summary><c>GET/POST /apiKeys</c>, <c>DELETE /apiKeys/{apiKeyId}</c>: HTTP over <see cref="ManageApiKeys"/>.</summary>
public static class ApiKeysEndpoints
{
    public static RouteGroupBuilder MapApiKeysApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/apiKeys").WithTags("Settings");
        keys.MapGet("/", List).WithName("list-api-keys");
        keys.MapPost("/", Create).WithName("create-api-key").WithIdempotency();
        keys.MapDelete("/{apiKeyId:guid}", Delete).WithName("delete-api-key");
        return api;
    }

    internal static async Task<Ok<ResultList<ApiKeyResponse>>> List(ConsentryDbContext db, CancellationToken ct) =>
        TypedResults.Ok(new ResultList<ApiKeyResponse>(await ManageApiKeys.ListAsync(db, ct)));

    internal static async Task<Results<Created<ApiKeyResponse>, CodatError>> Create(
        CreateApiKeyRequest? body, ConsentryDbContext db, CurrentClient client, TimeProvider time, CancellationToken ct)
    {
        var created = await ManageApiKeys.CreateAsync(body, db, client, time, ct);
        return created.IsSuccess ? TypedResults.Created($"/apiKeys/{created.Value!.Id}", created.Value) : new CodatError(created.Error!);
    }

    internal static async Task<Results<NoContent, CodatError>> Delete(Guid apiKeyId, ConsentryDbContext db, IMemoryCache cache, CancellationToken ct) =>
        await ManageApiKeys.DeleteAsync(apiKeyId, db, cache, ct) is { } error ? new CodatError(error) : TypedResults.NoContent();
}
