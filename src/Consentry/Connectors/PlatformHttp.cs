using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Consentry.Connectors;

/// <summary>A platform's answer: a JSON document to read (dispose it), or the <see cref="DataPage"/> that ends this request.</summary>
public readonly record struct PlatformAnswer(JsonDocument? Document, HttpResponseHeaders? Headers, DataPage? Problem)
{
    public bool Succeeded => Document is not null;
}

/// <summary>
/// Sends a connector's requests to a platform over real HTTP and sorts the answers the same way for every platform:
/// 200 → the JSON; 401 → <see cref="DataPage.Unauthorized"/>; 403 → <see cref="DataPage.Forbidden"/>; 429 →
/// <see cref="DataPage.RateLimited"/> with <c>Retry-After</c>; 5xx, timeouts and refused connections → transient
/// <see cref="DataPage.Failed"/>. A connector looks at the problem first when its platform says more (Xero's
/// <c>X-Rate-Limit-Problem</c>, a disconnected organisation) and otherwise returns it as it is.
/// </summary>
public sealed class PlatformHttp(IHttpClientFactory clients, TimeProvider time)
{
    public const string ClientName = "platform-data";

    /// <summary>A request carrying <paramref name="accessToken"/> as an OAuth 2.0 bearer token.</summary>
    public static HttpRequestMessage Bearer(HttpMethod method, string url, string accessToken)
    {
        var message = new HttpRequestMessage(method, url);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return message;
    }

    /// <summary>Sends <paramref name="request"/> (disposed here) and reads a JSON answer.</summary>
    public async Task<PlatformAnswer> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var owned = request;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                try
                {
                    await using var stream = await response.Content.ReadAsStreamAsync(ct);
                    return new PlatformAnswer(await JsonDocument.ParseAsync(stream, cancellationToken: ct), response.Headers, null);
                }
                catch (JsonException e)
                {
                    return Problem(response, new DataPage.Failed($"The platform's answer is not JSON: {e.Message}", Transient: true));
                }
            }

            var (error, description) = await ErrorAsync(response, ct);
            var detail = description ?? error ?? response.ReasonPhrase ?? "no detail";
            return Problem(response, response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new DataPage.Unauthorized(detail),
                HttpStatusCode.Forbidden => new DataPage.Forbidden(error ?? "forbidden", description ?? "The platform refused access."),
                HttpStatusCode.TooManyRequests => new DataPage.RateLimited(RetryAfter(response)),
                >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout =>
                    new DataPage.Failed($"The platform answered {(int)response.StatusCode}: {detail}", Transient: true),
                _ => new DataPage.Failed($"The platform answered {(int)response.StatusCode}: {detail}", Transient: false),
            });
        }
        catch (HttpRequestException e)
        {
            return new PlatformAnswer(null, null, new DataPage.Failed($"The platform could not be reached: {e.Message}", Transient: true));
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new PlatformAnswer(null, null, new DataPage.Failed("The platform did not answer in time.", Transient: true));
        }
    }

    /// <summary>Sends a request whose body does not matter (a release or a revocation); true on 2xx.</summary>
    public async Task<bool> SendForStatusAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var owned = request;
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static PlatformAnswer Problem(HttpResponseMessage response, DataPage problem) => new(null, response.Headers, problem);

    /// <summary>OAuth-style <c>{error, error_description}</c> bodies; a connector reads its platform's own error shape itself.</summary>
    private static async Task<(string? Error, string? Description)> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            string? Read(string name) => json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var v)
                && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            // RFC 7807 problem bodies (Xero's {"Title":"Forbidden","Detail":"AuthenticationUnsuccessful"}) name the error in Detail.
            return (Read("error") ?? Read("Detail") ?? Read("detail"), Read("error_description"));
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
