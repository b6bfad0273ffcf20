using System.Globalization;
using Consentry.Sandbox.OAuth;
using Consentry.Sandbox.Platforms;
using Consentry.Sandbox.Store;
using Microsoft.AspNetCore.Http;
using static Consentry.Sandbox.OAuth.OAuthResponses;

namespace Consentry.Sandbox.Data;

/// <summary>The bearer-protected data API of a platform: <c>GET api/{endpoint}</c>, paginated, with <c>modifiedSince</c>.</summary>
internal static class DataApi
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 500;

    public static async Task<IResult> Get(
        HttpContext context, SandboxPlatform platform, DataEndpoint endpoint, ISandboxStore store, DataClock clock)
    {
        context.Response.Headers.CacheControl = "no-store";
        var now = clock.Now;
        var (username, denied) = Authorize(context, platform, endpoint, store, now);
        if (username is not null)
        {
            // Counted once the token is known to be the user's, whatever the answer (the control API's stats).
            store.CountDataRequest(platform.Key, username);
        }

        if (denied is not null)
        {
            return denied;
        }

        if (store.TakeLatency(platform.Key, username!) is { Ticks: > 0 } delay)
        {
            // Real time on purpose: a test can stop the client while this request is in flight.
            await Task.Delay(delay, context.RequestAborted);
        }

        if (store.TakeFailure(platform.Key, username!) is { } failure)
        {
            return Error("server_error", $"A failure asked for through the control API ({failure}).", failure);
        }

        if (store.TakeRateLimit(platform.Key, username!) is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            return Error(RateLimited, $"Too many requests; retry after {retryAfter} s.", StatusCodes.Status429TooManyRequests);
        }

        var seed = UserSeed.For(platform.Key, username!);
        return endpoint switch
        {
            SingleEndpoint single => Json(single.Get(seed)),
            CollectionEndpoint collection =>
                Page(context, collection, seed, store.FindOverlay(platform.Key, username!, collection.Path), clock, now),
            _ => throw new InvalidOperationException($"Unknown endpoint type {endpoint.GetType()}."),
        };
    }

    /// <summary>
    /// The token's user (null when the token is not a live one of this platform), and the 401 or 403 to answer when it
    /// may not read the endpoint (RFC 6750 §3).
    /// </summary>
    private static (string? Username, IResult? Denied) Authorize(HttpContext context, SandboxPlatform platform, DataEndpoint endpoint, ISandboxStore store, DateTimeOffset now)
    {
        var header = context.Request.Headers.Authorization;
        var value = header.Count == 1 ? header[0] : null;
        if (value is null || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // No credentials at all: a challenge without an error code, as RFC 6750 §3.1 asks.
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{platform.Key}\"";
            return (null, Error("unauthorized", "Send an access token: Authorization: Bearer <token>.", StatusCodes.Status401Unauthorized));
        }

        var token = store.FindToken(Secrets.Hash(value["Bearer ".Length..].Trim()));
        var grant = token is { Kind: TokenKind.Access, Revoked: false } ? store.FindActiveGrant(token.GrantId) : null;
        if (token is null || grant is null || grant.Platform != platform.Key)
        {
            return (null, RejectToken(context, platform, "The access token is invalid or was revoked."));
        }

        if (token.ExpiresAt <= now)
        {
            return (null, RejectToken(context, platform, "The access token expired."));
        }

        if (grant.ConsentExpiresAt is { } consentEnd && consentEnd <= now)
        {
            return (grant.Username, Error(ConsentExpired, $"The consent expired at {Iso(consentEnd)}; the user must authorize again.", StatusCodes.Status403Forbidden));
        }

        if (!token.Scopes.Contains(endpoint.Scope))
        {
            context.Response.Headers.WWWAuthenticate =
                $"Bearer realm=\"{platform.Key}\", error=\"{InsufficientScope}\", scope=\"{endpoint.Scope}\"";
            return (grant.Username, Error(InsufficientScope, $"This endpoint needs the scope {endpoint.Scope}.", StatusCodes.Status403Forbidden));
        }

        return (grant.Username, null);
    }

    private static IResult RejectToken(HttpContext context, SandboxPlatform platform, string description)
    {
        context.Response.Headers.WWWAuthenticate =
            $"Bearer realm=\"{platform.Key}\", error=\"{InvalidToken}\", error_description=\"{description}\"";
        return Error(InvalidToken, description, StatusCodes.Status401Unauthorized);
    }

    private static IResult Page(
        HttpContext context, CollectionEndpoint collection, UserSeed seed, CollectionOverlay overlay, DataClock clock, DateTimeOffset now)
    {
        var query = context.Request.Query;
        if (!TryInt(query["page"], 1, out var page) || page < 1)
        {
            return Error(InvalidRequest, "page must be a whole number from 1.");
        }

        if (!TryInt(query["pageSize"], DefaultPageSize, out var pageSize) || pageSize is < 1 or > MaxPageSize)
        {
            return Error(InvalidRequest, $"pageSize must be a whole number from 1 to {MaxPageSize}.");
        }

        DateTime? since = null;
        if (query["modifiedSince"] is { Count: > 0 } sinceText)
        {
            if (!DateTimeOffset.TryParse(sinceText[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return Error(InvalidRequest, "modifiedSince must be an ISO 8601 date and time, e.g. 2024-06-01T00:00:00Z.");
            }

            since = parsed.UtcDateTime;
        }

        // The generated records, then those the control API added; its changes override the generated dates.
        var generated = collection.Count(seed);
        var count = overlay.Count(generated);
        DateTime Modified(int i) =>
            clock.ModifiedDate(seed, collection.Tag, i, overlay.Modified(i, generated) ?? collection.Modified(seed, i), now);

        // Records come in index order (their ids never move); modifiedSince keeps those modified at or after it.
        var matching = since is { } from
            ? Enumerable.Range(0, count).Where(i => Modified(i) >= from).ToList()
            : null;
        var total = matching?.Count ?? count;
        var skip = (long)(page - 1) * pageSize;
        var indexes = skip >= total
            ? []
            : matching is not null
                ? matching.Skip((int)skip).Take(pageSize)
                : Enumerable.Range((int)skip, (int)Math.Min(pageSize, total - skip));
        var results = indexes.Select(i => collection.Item(seed, i, Modified(i))).ToList();
        return Json(new { results, page, pageSize, totalResults = total });
    }

    private static bool TryInt(Microsoft.Extensions.Primitives.StringValues values, int fallback, out int value)
    {
        value = fallback;
        return values.Count == 0 || int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
