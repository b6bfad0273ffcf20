using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors.Data;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Integrations;

namespace Consentry.Connectors.Platforms.Shopify;

/// <summary>
/// Shopify (<c>fztf</c>). The customer names the shop first (the Link page's pre-step), so every URL is the shop's own
/// (<c>https://{shop}.myshopify.com/…</c>, from the catalogue's templates). The callback is Shopify's only when its
/// <c>hmac</c> matches, it names that same shop and it is fresh (<see cref="RejectCallback"/>). Tokens are offline: no
/// refresh, no expiry; a 401 means the app was uninstalled, for good. Reads go through the GraphQL Admin API with Relay
/// cursors, <c>updated_at:&gt;</c> for incremental reads, and the shop's cost bucket kept (<see cref="ShopifyThrottle"/>).
/// Revocation uninstalls the app (<c>appUninstall</c>).
/// </summary>
public sealed class ShopifyConnector(PlatformHttp http, ShopifyThrottle throttle, TimeProvider time) : IPlatformConnector
{
    public const string PlatformKey = "fztf";

    private readonly ConcurrentDictionary<string, int> _requestedCost = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> PlatformKeys => [PlatformKey];

    public string? RejectCallback(PlatformEndpoint platform, IReadOnlyDictionary<string, string> callback) =>
        // Cancelling at Shopify comes back unsigned with error=access_denied: nothing is exchanged then anyway.
        callback.ContainsKey("error") && !callback.ContainsKey("code") ? null
            : ShopifyShop.Reject(callback, platform.ClientSecret, platform.Account.GetValueOrDefault("shop"), time.GetUtcNow());

    public async Task<AccountDiscovery> DiscoverAccountsAsync(
        PlatformEndpoint platform, TokenSet tokens, IReadOnlyDictionary<string, string> callback, CancellationToken ct)
    {
        if (ShopifyShop.FromHost(callback.GetValueOrDefault("shop")) is not { } shop || platform.Account.GetValueOrDefault("shop") != shop)
        {
            return new AccountDiscovery.Failed("Shopify did not say which shop was connected.");
        }

        // The shop's name for the connection; the link does not fail over it (the shop is what matters).
        var name = $"{shop}.myshopify.com";
        var answer = await QueryAsync(platform, tokens.AccessToken, ShopifyQueries.Shop, null, ct);
        using var document = answer.Document;
        if (document?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("data", out var data)
            && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("shop", out var info) && info.ValueKind == JsonValueKind.Object
            && info.TryGetProperty("name", out var n) && n.GetString() is { Length: > 0 } shopName)
        {
            name = shopName;
        }

        return new AccountDiscovery.Found([new PlatformAccount(shop, name, new Dictionary<string, string> { ["shop"] = shop })]);
    }

    /// <summary>Uninstalls the app from the shop (Shopify has no token revocation): its token stops working at once.</summary>
    public async Task<bool> RevokeAsync(PlatformEndpoint platform, PlatformGrant grant, CancellationToken ct)
    {
        var answer = await QueryAsync(platform, grant.AccessToken, ShopifyQueries.AppUninstall, null, ct);
        using var document = answer.Document;
        if (answer.Problem is DataPage.Unauthorized)
        {
            return true; // already uninstalled: the token no longer works either way
        }

        return document?.RootElement is { ValueKind: JsonValueKind.Object } root && !root.TryGetProperty("errors", out _)
            && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("appUninstall", out var payload) && payload.ValueKind == JsonValueKind.Object
            && (!payload.TryGetProperty("userErrors", out var errors) || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0);
    }

    public IReadOnlyCollection<string> Readable(IntegrationDefinition integration) => ShopifyMapping.DataTypes;

    public async Task<DataPage> ReadAsync(DataRequest request, CancellationToken ct)
    {
        if (!ShopifyMapping.DataTypes.Contains(request.DataType) || request.Platform.ApiBaseUrl is null)
        {
            return new DataPage.Failed($"Shopify has no {request.DataType}.", Transient: false);
        }

        if (!request.Account.TryGetValue("shop", out var shop))
        {
            return new DataPage.Failed("The connection has no Shopify shop.", Transient: false);
        }

        string query;
        JsonObject? variables = null;
        if (request.DataType == ShopifyMapping.CompanyInfo)
        {
            query = ShopifyQueries.Shop;
        }
        else
        {
            (query, var maxPage) = ShopifyQueries.Lists[request.DataType];
            variables = new JsonObject { ["first"] = Math.Clamp(request.PageSize, 1, maxPage), ["after"] = request.Cursor };
            if (request.ModifiedSince is { } since)
            {
                variables["query"] = $"updated_at:>'{Iso(since)}'";
            }
        }

        if (throttle.Reserve(shop, _requestedCost.GetValueOrDefault(request.DataType)) is { } wait)
        {
            return new DataPage.RateLimited(wait);
        }

        var answer = await QueryAsync(request.Platform, request.AccessToken, query, variables, ct);
        if (!answer.Succeeded)
        {
            return answer.Problem is DataPage.Unauthorized unauthorized
                ? new DataPage.Deauthorized($"Shopify refused the app's access token (the app was uninstalled from the shop): {unauthorized.Detail}", ConsentExpired: false)
                : answer.Problem!;
        }

        using var document = answer.Document!;
        var root = document.RootElement;
        if (Errors(root) is { } problem)
        {
            var throttled = problem.Code == "THROTTLED";
            var retry = throttle.Observe(shop, root, throttled);
            return throttled ? new DataPage.RateLimited(retry ?? ShopifyThrottle.ShortestWait)
                : new DataPage.Failed($"Shopify refused the query: {problem.Message}", Transient: problem.Code is "INTERNAL_SERVER_ERROR" or "SERVICE_UNAVAILABLE");
        }

        throttle.Observe(shop, root, throttled: false);
        RememberCost(request.DataType, root);
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return new DataPage.Failed("Shopify's answer has no data.", Transient: false);
        }

        if (request.DataType == ShopifyMapping.CompanyInfo)
        {
            return data.TryGetProperty("shop", out var info) && ShopifyMapping.Apply(request.DataType, info, request.ReadAt) is [var company]
                ? new DataPage.Ok([company], 1, null)
                : new DataPage.Failed("Shopify's answer has no shop.", Transient: false);
        }

        var connection = data.EnumerateObject().Select(p => p.Value).FirstOrDefault(v => v.ValueKind == JsonValueKind.Object);
        if (connection.ValueKind != JsonValueKind.Object || !connection.TryGetProperty("nodes", out var nodes) || nodes.ValueKind != JsonValueKind.Array)
        {
            return new DataPage.Failed("Shopify's answer has no nodes.", Transient: false);
        }

        var records = nodes.EnumerateArray().SelectMany(n => ShopifyMapping.Apply(request.DataType, n, request.ReadAt)).ToList();
        string? next = null;
        if (connection.TryGetProperty("pageInfo", out var pageInfo) && pageInfo.TryGetProperty("hasNextPage", out var more) && more.ValueKind == JsonValueKind.True
            && pageInfo.TryGetProperty("endCursor", out var cursor) && cursor.ValueKind == JsonValueKind.String)
        {
            next = cursor.GetString();
        }

        return new DataPage.Ok(records, null, next);
    }

    /// <summary>POST {query, variables} to the shop's <c>graphql.json</c> with the <c>X-Shopify-Access-Token</c> header.</summary>
    private Task<PlatformAnswer> QueryAsync(PlatformEndpoint platform, string accessToken, string query, JsonObject? variables, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{platform.ApiBaseUrl!.TrimEnd('/')}/graphql.json")
        {
            Content = JsonContent.Create(new JsonObject { ["query"] = query, ["variables"] = variables ?? [] }),
        };
        request.Headers.Add("X-Shopify-Access-Token", accessToken);
        return http.SendAsync(request, ct);
    }

    /// <summary>Shopify answers 200 with <c>errors</c> for throttling and for queries it refuses.</summary>
    private static (string? Code, string Message)? Errors(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errors", out var errors))
        {
            return null;
        }

        if (errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var first = errors[0];
            var code = first.TryGetProperty("extensions", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("code", out var c) ? c.GetString() : null;
            var message = first.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            return (code, message);
        }

        return errors.ValueKind == JsonValueKind.String ? (null, errors.GetString()!) : null;
    }

    /// <summary>Shopify charges the requested cost up front: the next page of the same query will ask as much.</summary>
    private void RememberCost(string dataType, JsonElement root)
    {
        if (root.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("cost", out var cost)
            && cost.TryGetProperty("requestedQueryCost", out var requested) && requested.TryGetInt32(out var points))
        {
            _requestedCost[dataType] = points;
        }
    }

    private static string Iso(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
