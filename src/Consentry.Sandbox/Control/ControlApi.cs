using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Consentry.Sandbox.Data;
using Consentry.Sandbox.OAuth;
using Consentry.Sandbox.Platforms;
using Consentry.Sandbox.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Consentry.Sandbox.OAuth.OAuthResponses;

namespace Consentry.Sandbox.Control;

internal sealed record RecordsRequest(string? Collection, int? Add, int? Change);

internal sealed record RecordsResponse(
    string Collection,
    int Count,
    int AddedCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Guid>? Added,
    int ChangedCount,
    IReadOnlyList<Guid> Changed,
    DateTime ModifiedDate);

internal sealed record RateLimitRequest(int? Requests, int? RetryAfterSeconds);

internal sealed record FailuresRequest(int? Requests, int? Status);

internal sealed record LatencyRequest(int? Milliseconds, int? Requests);

/// <summary>
/// Deterministic test controls, per platform and test user, under <c>control/users/{username}/…</c>: add and change
/// records, rate-limit or slow down the data API, expire access tokens, revoke grants, and read counters. Authenticated
/// with a registered client's credentials (HTTP Basic), like the token endpoint.
/// </summary>
internal static class ControlApi
{
    public const int MaxAdd = 1_000_000;
    public const int MaxChange = 100_000;
    public const int MaxRecords = 10_000_000;
    public const int MaxListedIds = 1000;
    public const int MaxRequests = 1_000_000;
    public const int MaxRetryAfterSeconds = 86_400;
    public const int MaxLatencyMilliseconds = 600_000;

    public static void Map(RouteGroupBuilder platformGroup, SandboxPlatform platform)
    {
        var group = platformGroup.MapGroup("/control/users/{username}");
        group.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            context.Response.Headers.CacheControl = "no-store";
            var clients = context.RequestServices.GetRequiredService<SandboxClients>();
            if (ClientAuthentication.AuthenticateBasic(context, clients, platform) is (null, var unauthorized))
            {
                return unauthorized;
            }

            var username = context.GetRouteValue("username") as string ?? "";
            return TestUsers.BehaviourOf(username) is null
                ? Error(InvalidRequest, "Not a test user: use user_good, user_deny or user_error, optionally with +suffix.")
                : await next(invocation);
        });

        group.MapPost("/records", (HttpContext context, string username, ISandboxStore store, DataClock clock) =>
            Records(context, platform, username, store, clock));
        group.MapPost("/failures", (HttpContext context, string username, ISandboxStore store) =>
            Failures(context, platform, username, store));
        group.MapPost("/rateLimit", (HttpContext context, string username, ISandboxStore store) =>
            RateLimit(context, platform, username, store));
        group.MapPost("/latency", (HttpContext context, string username, ISandboxStore store) =>
            Latency(context, platform, username, store));
        group.MapPost("/expireAccessTokens", (string username, ISandboxStore store, DataClock clock) =>
            Json(new { expired = store.ExpireAccessTokens(platform.Key, username, clock.Now) }));
        group.MapPost("/revokeGrants", (string username, ISandboxStore store) =>
            Json(new { revoked = store.RevokeGrants(platform.Key, username) }));
        group.MapGet("/stats", (string username, ISandboxStore store) => Json(store.Stats(platform.Key, username)));
    }

    private static async Task<IResult> Records(HttpContext context, SandboxPlatform platform, string username, ISandboxStore store, DataClock clock)
    {
        var (body, error) = await ReadAsync<RecordsRequest>(context);
        if (body is null)
        {
            return error!;
        }

        if (string.IsNullOrEmpty(body.Collection))
        {
            return Error(InvalidRequest, "collection is required.");
        }

        if (platform.Endpoints.OfType<CollectionEndpoint>().FirstOrDefault(c => c.Path == body.Collection) is not { } collection)
        {
            return Error(InvalidRequest, $"{platform.Key} has no collection {body.Collection}.", StatusCodes.Status404NotFound);
        }

        var (add, change) = (body.Add ?? 0, body.Change ?? 0);
        if (add is < 0 or > MaxAdd || change is < 0 or > MaxChange)
        {
            return Error(InvalidRequest, $"add must be from 0 to {MaxAdd} and change from 0 to {MaxChange}.");
        }

        if (collection.Control == CollectionControl.None)
        {
            return Error(InvalidRequest, $"{collection.Path} are derived from other collections: they cannot be added or changed.");
        }

        if (collection.Control == CollectionControl.ChangeOnly && add > 0)
        {
            return Error(InvalidRequest, $"{collection.Path} can be changed but not added (their number follows from other records).");
        }

        var seed = UserSeed.For(platform.Key, username);
        var generated = collection.Count(seed);
        var at = DataWindow.Seconds(clock.Now.UtcDateTime);
        var tooMany = false;
        var (before, after) = store.UpdateOverlay(platform.Key, username, collection.Path, overlay =>
        {
            tooMany = (long)overlay.Count(generated) + add > MaxRecords;
            return tooMany ? overlay : overlay.Apply(generated, add, change, at);
        });
        if (tooMany)
        {
            return Error(InvalidRequest, $"A collection holds at most {MaxRecords} records; it has {before.Count(generated)}.");
        }

        var added = after.Added - before.Added;
        var changed = after.Changed - before.Changed;
        return Json(new RecordsResponse(
            collection.Path,
            after.Count(generated),
            added,
            add > MaxListedIds ? null : Ids(generated + before.Added, added),
            changed,
            Ids(before.Changed, changed),
            at));

        List<Guid> Ids(int start, int count) => [.. Enumerable.Range(start, count).Select(i => seed.Id(collection.Tag, i))];
    }

    private static async Task<IResult> RateLimit(HttpContext context, SandboxPlatform platform, string username, ISandboxStore store)
    {
        var (body, error) = await ReadAsync<RateLimitRequest>(context);
        if (body is null)
        {
            return error!;
        }

        var retryAfter = body.RetryAfterSeconds ?? 1;
        if (body.Requests is not (>= 0 and <= MaxRequests) || retryAfter is < 0 or > MaxRetryAfterSeconds)
        {
            return Error(InvalidRequest, $"requests (required) must be from 0 to {MaxRequests} and retryAfterSeconds from 0 to {MaxRetryAfterSeconds}.");
        }

        store.SetRateLimit(platform.Key, username, body.Requests.Value, retryAfter);
        return Json(new { requests = body.Requests.Value, retryAfterSeconds = retryAfter });
    }

    private static async Task<IResult> Failures(HttpContext context, SandboxPlatform platform, string username, ISandboxStore store)
    {
        var (body, error) = await ReadAsync<FailuresRequest>(context);
        if (body is null)
        {
            return error!;
        }

        var status = body.Status ?? 503;
        if (body.Requests is not (>= 0 and <= MaxRequests) || status is < 500 or > 599)
        {
            return Error(InvalidRequest, $"requests (required) must be from 0 to {MaxRequests} and status from 500 to 599.");
        }

        store.SetFailures(platform.Key, username, body.Requests.Value, status);
        return Json(new { requests = body.Requests.Value, status });
    }

    private static async Task<IResult> Latency(HttpContext context, SandboxPlatform platform, string username, ISandboxStore store)
    {
        var (body, error) = await ReadAsync<LatencyRequest>(context);
        if (body is null)
        {
            return error!;
        }

        var requests = body.Requests ?? MaxRequests;
        if (body.Milliseconds is not (>= 0 and <= MaxLatencyMilliseconds) || requests is < 0 or > MaxRequests)
        {
            return Error(InvalidRequest, $"milliseconds (required) must be from 0 to {MaxLatencyMilliseconds} and requests from 0 to {MaxRequests}.");
        }

        var milliseconds = body.Milliseconds.Value;
        store.SetLatency(platform.Key, username, milliseconds, requests);
        return Json(new { milliseconds, requests = milliseconds == 0 ? 0 : requests });
    }

    /// <summary>The JSON body, or the 400 to answer when it is missing or malformed.</summary>
    private static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpContext context)
        where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, Error(InvalidRequest, "Send a JSON body (Content-Type: application/json)."));
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, SandboxJson.Options, context.RequestAborted) is { } body
                ? (body, null)
                : (null, Error(InvalidRequest, "Send a JSON object."));
        }
        catch (JsonException exception)
        {
            return (null, Error(InvalidRequest, string.Create(CultureInfo.InvariantCulture, $"The body is not valid JSON for this request: {exception.Message}")));
        }
    }
}
