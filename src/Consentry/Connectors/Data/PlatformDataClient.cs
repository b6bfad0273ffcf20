using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Consentry.Core.Integrations;
using Microsoft.AspNetCore.WebUtilities;

namespace Consentry.Connectors.Data;

/// <summary>What one request to a platform's data API came back with.</summary>
public abstract record DataPage
{
    /// <summary>Records (a single object is one record) and the platform's total for a collection.</summary>
    public sealed record Ok(IReadOnlyList<JsonElement> Records, int? TotalResults) : DataPage;

    /// <summary>401: the access token is no longer good (expired or revoked).</summary>
    public sealed record Unauthorized(string Detail) : DataPage;

    /// <summary>403: the grant does not allow it (scope), or the consent expired.</summary>
    public sealed record Forbidden(string Error, string Detail) : DataPage;

    /// <summary>429: wait <see cref="RetryAfter"/> before asking again.</summary>
    public sealed record RateLimited(TimeSpan RetryAfter) : DataPage;

    /// <summary>Anything else: a 5xx, a timeout, a refused connection, or an answer we cannot read.</summary>
    public sealed record Failed(string Detail, bool Transient) : DataPage;
}

/// <summary>
/// Reads pages from a platform's data API over HTTP with the connection's bearer token. Sandbox-style collections take
/// <c>page</c>, <c>pageSize</c> and <c>modifiedSince</c> and answer <c>{results, totalResults}</c>.
/// </summary>
public sealed class PlatformDataClient(IHttpClientFactory clients, TimeProvider time)
{
    public const string ClientName = "platform-data";

    public async Task<DataPage> GetAsync(
        string baseUrl, DataEndpointDefinition endpoint, string accessToken, int page, int pageSize, DateTime? modifiedSince, CancellationToken ct)
    {
        var url = $"{baseUrl.TrimEnd('/')}/{endpoint.Path}";
        if (!endpoint.SingleObject)
        {
            var query = new Dictionary<string, string?>
            {
                ["page"] = page.ToString(CultureInfo.InvariantCulture),
                ["pageSize"] = pageSize.ToString(CultureInfo.InvariantCulture),
            };
            if (modifiedSince is { } since)
            {
                query["modifiedSince"] = since.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            }

            url = QueryHelpers.AddQueryString(url, query);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => await ReadAsync(response, endpoint, ct),
                HttpStatusCode.Unauthorized => new DataPage.Unauthorized(await DescribeAsync(response, ct)),
                HttpStatusCode.Forbidden => await ForbiddenAsync(response, ct),
                HttpStatusCode.TooManyRequests => new DataPage.RateLimited(RetryAfter(response)),
                >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout =>
                    new DataPage.Failed($"The platform answered {(int)response.StatusCode}: {await DescribeAsync(response, ct)}", Transient: true),
                _ => new DataPage.Failed($"The platform answered {(int)response.StatusCode}: {await DescribeAsync(response, ct)}", Transient: false),
            };
        }
        catch (HttpRequestException e)
        {
            return new DataPage.Failed($"The platform could not be reached: {e.Message}", Transient: true);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DataPage.Failed("The platform did not answer in time.", Transient: true);
        }
    }

    private static async Task<DataPage> ReadAsync(HttpResponseMessage response, DataEndpointDefinition endpoint, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
            var root = document.RootElement;
            if (endpoint.SingleObject)
            {
                return root.ValueKind == JsonValueKind.Object
                    ? new DataPage.Ok([root.Clone()], 1)
                    : new DataPage.Failed("The platform's answer is not a JSON object.", Transient: false);
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                return new DataPage.Failed("The platform's answer has no results array.", Transient: false);
            }

            int? total = root.TryGetProperty("totalResults", out var t) && t.TryGetInt32(out var n) ? n : null;
            return new DataPage.Ok([.. results.EnumerateArray().Select(r => r.Clone())], total);
        }
        catch (JsonException e)
        {
            return new DataPage.Failed($"The platform's answer is not JSON: {e.Message}", Transient: true);
        }
    }

    private static async Task<DataPage> ForbiddenAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var (error, description) = await ErrorAsync(response, ct);
        return new DataPage.Forbidden(error ?? "forbidden", description ?? "The platform refused access.");
    }

    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var (error, description) = await ErrorAsync(response, ct);
        return description ?? error ?? response.ReasonPhrase ?? "no detail";
    }

    private static async Task<(string? Error, string? Description)> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            string? Read(string name) => json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var v)
                && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return (Read("error"), Read("error_description"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3); 1 s when absent or unreadable.</summary>
    private TimeSpan RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return TimeSpan.FromSeconds(1);
    }
}
