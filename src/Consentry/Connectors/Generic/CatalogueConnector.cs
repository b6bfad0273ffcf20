using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Consentry.Connectors.Data;
using Consentry.Connectors.OAuth2;
using Consentry.Core.Integrations;
using Microsoft.AspNetCore.WebUtilities;

namespace Consentry.Connectors.Generic;

/// <summary>
/// The connector of every platform without one of its own: the generic OAuth 2.0 connector as the catalogue configures
/// it (one account per grant, RFC 7009 revocation), reading the catalogue's data API when it has one, as the built-in
/// sandboxes do: collections take <c>page</c>, <c>pageSize</c> and <c>modifiedSince</c> and answer
/// <c>{results, totalResults}</c>; the cursor is the next page's number.
/// </summary>
public sealed class CatalogueConnector(PlatformHttp http, OAuthConnector oauth) : IPlatformConnector
{
    /// <summary>None: the registry falls back to this connector for every key no other connector claims.</summary>
    public IReadOnlyCollection<string> PlatformKeys => [];

    public Task<AccountDiscovery> DiscoverAccountsAsync(
        PlatformEndpoint platform, TokenSet tokens, IReadOnlyDictionary<string, string> callback, CancellationToken ct) =>
        Task.FromResult<AccountDiscovery>(new AccountDiscovery.Found([new PlatformAccount("default", platform.Integration.Name, new Dictionary<string, string>())]));

    public Task<bool> RevokeAsync(PlatformEndpoint platform, PlatformGrant grant, CancellationToken ct) =>
        grant.RefreshToken is { } refresh
            ? oauth.RevokeAsync(platform, refresh, "refresh_token", ct)
            : oauth.RevokeAsync(platform, grant.AccessToken, "access_token", ct);

    public IReadOnlyCollection<string> Readable(IntegrationDefinition integration) =>
        integration.Data is { } data ? [.. data.Endpoints.Where(e => SandboxMapping.Exists(e.Value.Mapper)).Select(e => e.Key)] : [];

    public async Task<DataPage> ReadAsync(DataRequest request, CancellationToken ct)
    {
        if (request.Platform.Integration.Data?.Endpoints.GetValueOrDefault(request.DataType) is not { } endpoint || request.Platform.ApiBaseUrl is not { } baseUrl)
        {
            return new DataPage.Failed($"{request.Platform.Integration.Name} has no {request.DataType} endpoint.", Transient: false);
        }

        var page = request.Cursor is { } cursor && int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        var url = $"{baseUrl.TrimEnd('/')}/{endpoint.Path}";
        if (!endpoint.SingleObject)
        {
            var query = new Dictionary<string, string?>
            {
                ["page"] = page.ToString(CultureInfo.InvariantCulture),
                ["pageSize"] = request.PageSize.ToString(CultureInfo.InvariantCulture),
            };
            // The sandboxes' one date filter serves both the incremental read and the sync settings' lower bound.
            if ((request.ModifiedSince > request.From ? request.ModifiedSince : request.From ?? request.ModifiedSince) is { } since)
            {
                query["modifiedSince"] = since.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            }

            url = QueryHelpers.AddQueryString(url, query);
        }

        var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", request.AccessToken);
        var answer = await http.SendAsync(message, ct);
        if (!answer.Succeeded)
        {
            // The sandbox bank says so when its Open Banking consent has ended.
            return answer.Problem is DataPage.Forbidden { Error: "consent_expired" } expired
                ? new DataPage.Deauthorized(expired.Detail, ConsentExpired: true)
                : answer.Problem!;
        }

        using var document = answer.Document!;
        var root = document.RootElement;
        IReadOnlyList<JsonElement> records;
        int? total;
        if (endpoint.SingleObject && root.ValueKind == JsonValueKind.Object)
        {
            (records, total) = ([root], 1);
        }
        else if (!endpoint.SingleObject && root.ValueKind == JsonValueKind.Object
                 && root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            records = [.. results.EnumerateArray()];
            total = root.TryGetProperty("totalResults", out var t) && t.TryGetInt32(out var count) ? count : null;
        }
        else
        {
            return new DataPage.Failed(endpoint.SingleObject ? "The platform's answer is not a JSON object." : "The platform's answer has no results array.", Transient: false);
        }

        var mapped = new List<MappedRecord>(records.Count);
        foreach (var record in records)
        {
            if (SandboxMapping.Apply(endpoint.Mapper, record, request.ReadAt) is { } m)
            {
                mapped.Add(request.KeepSource ? m with { Source = record.GetRawText() } : m);
            }
        }

        var last = endpoint.SingleObject || records.Count < request.PageSize || (total is { } all && (long)page * request.PageSize >= all);
        return new DataPage.Ok(mapped, total, last ? null : (page + 1).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The cursor is the page's number, so page <c>n + k</c> can be asked for while page <c>n</c> is on its way.</summary>
    public string? CursorAhead(string cursor, int pages) =>
        int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && pages > 0 && n <= int.MaxValue - pages
            ? (n + pages).ToString(CultureInfo.InvariantCulture)
            : null;

    /// <summary>
    /// A custom data type's endpoint under the catalogue's data API (<c>/accounts</c>): paged like every collection; an
    /// answer without <c>results</c> is one record.
    /// </summary>
    public async Task<DataPage> ReadSourceAsync(DataRequest request, string dataSource, CancellationToken ct)
    {
        if (request.Platform.ApiBaseUrl is not { } baseUrl)
        {
            return new DataPage.Failed($"{request.Platform.Integration.Name} has no data API.", Transient: false);
        }

        var page = request.Cursor is { } cursor && int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        var url = QueryHelpers.AddQueryString($"{baseUrl.TrimEnd('/')}/{dataSource.Trim().TrimStart('/')}", new Dictionary<string, string?>
        {
            ["page"] = page.ToString(CultureInfo.InvariantCulture),
            ["pageSize"] = request.PageSize.ToString(CultureInfo.InvariantCulture),
        });
        var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", request.AccessToken);
        var answer = await http.SendAsync(message, ct);
        if (!answer.Succeeded)
        {
            return answer.Problem!;
        }

        using var document = answer.Document!;
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            var records = results.EnumerateArray().Select(r => new MappedRecord("", null, r.GetRawText())).ToList();
            var total = root.TryGetProperty("totalResults", out var t) && t.TryGetInt32(out var count) ? count : (int?)null;
            var last = records.Count < request.PageSize || (total is { } all && (long)page * request.PageSize >= all);
            return new DataPage.Ok(records, total, last ? null : (page + 1).ToString(CultureInfo.InvariantCulture));
        }

        return root.ValueKind switch
        {
            JsonValueKind.Object => new DataPage.Ok([new MappedRecord("", null, root.GetRawText())], 1, null),
            JsonValueKind.Array => new DataPage.Ok([.. root.EnumerateArray().Select(r => new MappedRecord("", null, r.GetRawText()))], null, null),
            _ => new DataPage.Failed($"The answer to {dataSource} is not JSON records.", Transient: false),
        };
    }
}
