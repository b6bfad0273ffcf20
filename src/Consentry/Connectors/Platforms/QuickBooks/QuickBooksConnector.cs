using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Consentry.Connectors.Data;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Integrations;
using Microsoft.AspNetCore.WebUtilities;

namespace Consentry.Connectors.Platforms.QuickBooks;

/// <summary>
/// QuickBooks Online (<c>qhyg</c>). The callback's <c>realmId</c> is the company the grant covers (one account per grant,
/// named from CompanyInfo). Reads go through the query endpoint, <c>STARTPOSITION</c>/<c>MAXRESULTS</c> paged (the
/// cursor is the next start position); an incremental read asks for <c>MetaData.LastUpdatedTime &gt; since</c> and ends
/// with one Change Data Capture call for the deletions. Intuit's limits are kept per realm: at most 10 requests at once;
/// a 429 is waited out for its Retry-After, or, as Intuit sends none, for 2, 4, 8… up to 60 s while throttling lasts.
/// </summary>
public sealed class QuickBooksConnector(PlatformHttp http) : IPlatformConnector
{
    public const string PlatformKey = "qhyg";

    /// <summary>The API version every request pins (Intuit: minor versions below 75 are no longer honoured).</summary>
    public const string MinorVersion = "75";

    /// <summary>Intuit: 10 concurrent requests per realm and app.</summary>
    public const int ConcurrentRequestsPerRealm = 10;

    /// <summary>Intuit: a query answers at most 1,000 entities.</summary>
    public const int MaxResults = 1000;

    /// <summary>Intuit: Change Data Capture looks back at most 30 days; older watermarks read changes without deletions.</summary>
    public static readonly TimeSpan CdcLookBack = TimeSpan.FromDays(30);

    private const string DeletionsCursor = "cdc";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _slots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _throttled = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> PlatformKeys => [PlatformKey];

    public async Task<AccountDiscovery> DiscoverAccountsAsync(
        PlatformEndpoint platform, TokenSet tokens, IReadOnlyDictionary<string, string> callback, CancellationToken ct)
    {
        if (!callback.TryGetValue("realmId", out var realmId) || string.IsNullOrWhiteSpace(realmId) || !realmId.All(char.IsAsciiDigit))
        {
            return new AccountDiscovery.Failed("QuickBooks did not say which company was connected (no realmId on the callback).");
        }

        // The company's name for the connection; the link does not fail over it (the realm is what matters).
        var name = $"QuickBooks company {realmId}";
        if (platform.ApiBaseUrl is { } baseUrl)
        {
            var answer = await http.SendAsync(Get($"{Company(baseUrl, realmId)}/companyinfo/{realmId}?minorversion={MinorVersion}", tokens.AccessToken), ct);
            using var document = answer.Document;
            if (document?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("CompanyInfo", out var info)
                && info.ValueKind == JsonValueKind.Object && info.TryGetProperty("CompanyName", out var companyName) && companyName.GetString() is { Length: > 0 } n)
            {
                name = n;
            }
        }

        return new AccountDiscovery.Found([new PlatformAccount(realmId, name, new Dictionary<string, string> { ["realmId"] = realmId })]);
    }

    /// <summary>Intuit's revocation endpoint takes JSON (<c>{"token": …}</c>) with basic auth; the refresh token revokes the whole grant.</summary>
    public async Task<bool> RevokeAsync(PlatformEndpoint platform, PlatformGrant grant, CancellationToken ct)
    {
        if (platform.RevokeUrl is null)
        {
            return false;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, platform.RevokeUrl)
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["token"] = grant.RefreshToken ?? grant.AccessToken }),
        };
        var basic = $"{Uri.EscapeDataString(platform.ClientId)}:{Uri.EscapeDataString(platform.ClientSecret)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await http.SendForStatusAsync(request, ct);
    }

    public IReadOnlyCollection<string> Readable(IntegrationDefinition integration) => [.. QuickBooksMapping.Entities.Keys];

    public async Task<DataPage> ReadAsync(DataRequest request, CancellationToken ct)
    {
        if (!QuickBooksMapping.Entities.TryGetValue(request.DataType, out var entity) || request.Platform.ApiBaseUrl is not { } baseUrl)
        {
            return new DataPage.Failed($"QuickBooks Online has no {request.DataType}.", Transient: false);
        }

        if (!request.Account.TryGetValue("realmId", out var realmId))
        {
            return new DataPage.Failed("The connection has no QuickBooks company (realmId).", Transient: false);
        }

        var company = Company(baseUrl, realmId);
        string url;
        var start = 1;
        var max = Math.Clamp(request.PageSize, 1, MaxResults);
        if (entity == "CompanyInfo")
        {
            url = $"{company}/companyinfo/{Uri.EscapeDataString(realmId)}?minorversion={MinorVersion}";
        }
        else if (request.Cursor == DeletionsCursor && request.ModifiedSince is { } changedSince)
        {
            url = QueryHelpers.AddQueryString($"{company}/cdc", new Dictionary<string, string?>
            {
                ["entities"] = entity, ["changedSince"] = Iso(changedSince), ["minorversion"] = MinorVersion,
            });
        }
        else
        {
            start = request.Cursor is { } cursor && int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
            url = QueryHelpers.AddQueryString($"{company}/query", new Dictionary<string, string?>
            {
                ["query"] = Query(entity, request.ModifiedSince, start, max), ["minorversion"] = MinorVersion,
            });
        }

        var answer = await SendLimitedAsync(realmId, Get(url, request.AccessToken), ct);
        if (!answer.Succeeded)
        {
            return answer.Problem!;
        }

        using var document = answer.Document!;
        var root = document.RootElement;
        if (entity == "CompanyInfo")
        {
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("CompanyInfo", out var info)
                && QuickBooksMapping.Apply(request.DataType, info, request.ReadAt) is { } mapped
                ? new DataPage.Ok([request.KeepSource ? mapped with { Source = info.GetRawText() } : mapped], 1, null)
                : new DataPage.Failed("QuickBooks' answer has no CompanyInfo.", Transient: false);
        }

        if (request.Cursor == DeletionsCursor)
        {
            return new DataPage.Ok([.. ChangeDataCapture(root, entity).Where(e => e.TryGetProperty("status", out var s) && s.GetString() == "Deleted")
                .Select(e => QuickBooksMapping.Apply(request.DataType, e, request.ReadAt)).OfType<MappedRecord>()], null, null);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("QueryResponse", out var response) || response.ValueKind != JsonValueKind.Object)
        {
            return new DataPage.Failed("QuickBooks' answer has no QueryResponse.", Transient: false);
        }

        // An empty result is an empty QueryResponse: no array at all.
        var records = response.TryGetProperty(entity, out var array) && array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray()] : new List<JsonElement>();
        var page = records.Select(r => QuickBooksMapping.Apply(request.DataType, r, request.ReadAt) is { } mapped ? request.KeepSource ? mapped with { Source = r.GetRawText() } : mapped : null)
            .OfType<MappedRecord>().ToList();
        string? next = records.Count >= max ? (start + records.Count).ToString(CultureInfo.InvariantCulture)
            : request.ModifiedSince is { } since && since > request.ReadAt - CdcLookBack ? DeletionsCursor
            : null;
        return new DataPage.Ok(page, null, next);
    }

    /// <summary>
    /// <c>select * from Invoice [where MetaData.LastUpdatedTime &gt; '…'] STARTPOSITION n MAXRESULTS m</c>. Name lists
    /// (accounts, customers, vendors) answer only active entities unless the query names <c>Active</c>, so those ask
    /// for <c>Active in (true,false)</c> to see archived ones too.
    /// </summary>
    /// <summary>
    /// A custom data type's endpoint under the company (<c>/query?query=select * from Account</c>, or e.g.
    /// <c>/preferences</c>). A query pages with STARTPOSITION and MAXRESULTS added to the client's statement; the records
    /// are the QueryResponse's array, or the answer's one object.
    /// </summary>
    public async Task<DataPage> ReadSourceAsync(DataRequest request, string dataSource, CancellationToken ct)
    {
        if (request.Platform.ApiBaseUrl is not { } baseUrl || !request.Account.TryGetValue("realmId", out var realmId))
        {
            return new DataPage.Failed("The connection has no QuickBooks company (realmId).", Transient: false);
        }

        var relative = "/" + dataSource.Trim().TrimStart('/');
        var queryAt = relative.IndexOf('?', StringComparison.Ordinal);
        var parameters = QueryHelpers.ParseQuery(queryAt < 0 ? "" : relative[queryAt..]);
        var path = queryAt < 0 ? relative : relative[..queryAt];
        var start = int.TryParse(request.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        var max = Math.Clamp(request.PageSize, 1, MaxResults);
        var query = new Dictionary<string, string?>(StringComparer.Ordinal) { ["minorversion"] = MinorVersion };
        foreach (var (name, value) in parameters)
        {
            query[name] = value.ToString();
        }

        var paged = path.Equals("/query", StringComparison.OrdinalIgnoreCase) && query.GetValueOrDefault("query") is { Length: > 0 } statement
            && !statement.Contains("STARTPOSITION", StringComparison.OrdinalIgnoreCase);
        if (paged)
        {
            query["query"] = string.Create(CultureInfo.InvariantCulture, $"{query["query"]} STARTPOSITION {start} MAXRESULTS {max}");
        }

        var answer = await SendLimitedAsync(realmId, Get(QueryHelpers.AddQueryString($"{Company(baseUrl, realmId)}{path}", query), request.AccessToken), ct);
        if (!answer.Succeeded)
        {
            return answer.Problem!;
        }

        using var document = answer.Document!;
        var root = document.RootElement;
        var items = new List<JsonElement>();
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("QueryResponse", out var response) && response.ValueKind == JsonValueKind.Object)
        {
            items.AddRange(response.EnumerateObject().Select(p => p.Value).FirstOrDefault(v => v.ValueKind == JsonValueKind.Array) is { ValueKind: JsonValueKind.Array } array
                ? array.EnumerateArray() : []);
        }
        else if (root.ValueKind == JsonValueKind.Object && root.EnumerateObject().Select(p => p.Value).FirstOrDefault(v => v.ValueKind == JsonValueKind.Object) is { ValueKind: JsonValueKind.Object } single)
        {
            items.Add(single);
        }

        var records = items.Select(item => new MappedRecord("", null, item.GetRawText())).ToList();
        return new DataPage.Ok(records, null, paged && items.Count >= max ? (start + items.Count).ToString(CultureInfo.InvariantCulture) : null);
    }

    public static string Query(string entity, DateTime? modifiedSince, int start, int max)
    {
        var conditions = new List<string>();
        if (modifiedSince is { } since)
        {
            conditions.Add($"MetaData.LastUpdatedTime > '{Iso(since)}'");
        }

        if (entity is "Account" or "Customer" or "Vendor")
        {
            conditions.Add("Active in (true,false)");
        }

        var where = conditions.Count == 0 ? "" : " where " + string.Join(" and ", conditions);
        return string.Create(CultureInfo.InvariantCulture, $"select * from {entity}{where} STARTPOSITION {start} MAXRESULTS {max}");
    }

    /// <summary>The entities of <paramref name="entity"/> in a CDC answer: <c>CDCResponse[].QueryResponse[].{Entity}[]</c>.</summary>
    private static IEnumerable<JsonElement> ChangeDataCapture(JsonElement root, string entity)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("CDCResponse", out var cdc) || cdc.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var block in cdc.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("QueryResponse", out var responses) || responses.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var response in responses.EnumerateArray())
            {
                if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty(entity, out var items) && items.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in items.EnumerateArray())
                    {
                        yield return item;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Sends within the realm's concurrency limit. A 403 from the data API is ApplicationAuthorizationFailed (3100): the
    /// company no longer lets the app in, for good. A 429 without Retry-After backs off exponentially per realm.
    /// </summary>
    private async Task<PlatformAnswer> SendLimitedAsync(string realmId, HttpRequestMessage request, CancellationToken ct)
    {
        var slots = _slots.GetOrAdd(realmId, _ => new SemaphoreSlim(ConcurrentRequestsPerRealm, ConcurrentRequestsPerRealm));
        await slots.WaitAsync(ct);
        PlatformAnswer answer;
        try
        {
            answer = await http.SendAsync(request, ct);
        }
        finally
        {
            slots.Release();
        }

        switch (answer.Problem)
        {
            case null:
                _throttled.TryRemove(realmId, out _);
                return answer;
            case DataPage.Forbidden forbidden:
                return answer with { Problem = new DataPage.Deauthorized($"QuickBooks refused the app access to this company (ApplicationAuthorizationFailed): {forbidden.Detail}", ConsentExpired: false) };
            case DataPage.RateLimited when answer.Headers?.RetryAfter is null:
                var times = _throttled.AddOrUpdate(realmId, 1, (_, n) => Math.Min(n + 1, 6));
                return answer with { Problem = new DataPage.RateLimited(TimeSpan.FromSeconds(Math.Min(60, 1 << times))) };
            default:
                return answer;
        }
    }

    private static string Company(string baseUrl, string realmId) => $"{baseUrl.TrimEnd('/')}/v3/company/{Uri.EscapeDataString(realmId)}";

    private static HttpRequestMessage Get(string url, string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return request;
    }

    private static string Iso(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
