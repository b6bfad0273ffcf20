using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consentry.Connectors.OAuth2;

namespace Consentry.Connectors.Platforms.Plaid;

/// <summary>Plaid's error object (<c>error_type</c>, <c>error_code</c>, <c>error_code_reason</c>, <c>error_message</c>, <c>display_message</c>).</summary>
public sealed record PlaidError(int Status, string Type, string Code, string? Reason, string Message, string? DisplayMessage, string? RequestId);

/// <summary>An answer of Plaid's API: the JSON document (dispose it), or Plaid's error.</summary>
public readonly record struct PlaidAnswer(JsonDocument? Document, PlaidError? Error, TimeSpan? RetryAfter)
{
    public bool Succeeded => Document is not null;
}

/// <summary>
/// Plaid's API over HTTP: every call a POST to <c>{ApiBaseUrl}{path}</c> with <c>client_id</c> and <c>secret</c> in
/// the JSON body and the API version header; every failure read as Plaid's error object, whatever the status.
/// </summary>
public sealed class PlaidClient(IHttpClientFactory clients)
{
    /// <summary>The API version the connector is written against (and the vendor document's).</summary>
    public const string ApiVersion = "2020-09-14";

    public async Task<PlaidAnswer> PostAsync(PlatformEndpoint platform, string path, JsonObject body, CancellationToken ct)
    {
        if (platform.ApiBaseUrl is not { } baseUrl)
        {
            return Failure(0, "INVALID_REQUEST", "NOT_CONFIGURED", "Plaid's API base URL (ApiBaseUrl) is not configured.");
        }

        body["client_id"] = platform.ClientId;
        body["secret"] = platform.ClientSecret;
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl.TrimEnd('/') + path) { Content = JsonContent.Create(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("Plaid-Version", ApiVersion);
        try
        {
            using var response = await clients.CreateClient(PlatformHttp.ClientName).SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonDocument? document = null;
            try
            {
                document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            }
            catch (JsonException)
            {
            }

            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode && document is not null)
            {
                return new PlaidAnswer(document, null, null);
            }

            using (document)
            {
                var root = document?.RootElement;
                string? Read(string name) => root is { ValueKind: JsonValueKind.Object } r ? PlaidMapping.Text(r, name) : null;
                return new PlaidAnswer(null, new PlaidError(status, Read("error_type") ?? (status >= 500 ? "API_ERROR" : "INVALID_RESULT"),
                    Read("error_code") ?? $"HTTP_{status}", Read("error_code_reason"), Read("error_message") ?? response.ReasonPhrase ?? "no detail",
                    Read("display_message"), Read("request_id")), response.Headers.RetryAfter?.Delta);
            }
        }
        catch (HttpRequestException e)
        {
            return Failure(0, "API_ERROR", "UNREACHABLE", $"Plaid could not be reached: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return Failure(0, "API_ERROR", "TIMEOUT", "Plaid did not answer in time.");
        }
    }

    private static PlaidAnswer Failure(int status, string type, string code, string message) =>
        new(null, new PlaidError(status, type, code, null, message, null, null), null);
}
