using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Consentry.Api.Tests.Infrastructure;

public static class HttpExtensions
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body) =>
        client.PatchAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string body,
        string contentType = "application/json") =>
        client.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, contentType) });

    public static async Task<JsonNode> ReadNodeAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("Empty body.");

    /// <summary>Asserts the status and returns the JSON body.</summary>
    public static async Task<JsonNode> ExpectAsync(this Task<HttpResponseMessage> request, HttpStatusCode status)
    {
        using var response = await request;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>Asserts a Codat error body with the status and a message containing <paramref name="fragment"/>.</summary>
    public static async Task<JsonNode> ExpectErrorAsync(this Task<HttpResponseMessage> request, HttpStatusCode status, string? fragment = null)
    {
        using var response = await request;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        Assert.Equal((int)status, body["statusCode"]!.GetValue<int>());
        Assert.Equal("Unknown", body["canBeRetried"]!.GetValue<string>());
        var correlationId = body["correlationId"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{32}$", correlationId);
        Assert.Equal(correlationId, response.Headers.GetValues("X-Correlation-Id").Single());
        if (fragment is not null)
        {
            Assert.Contains(fragment, body["error"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        }

        return body;
    }

    public static async Task<string> CreateCompanyAsync(this HttpClient client, string name = "Acme Ltd", object? tags = null)
    {
        var body = await client.PostJsonAsync("/companies", tags is null ? new { name } : new { name, tags }).ExpectAsync(HttpStatusCode.OK);
        return body["id"]!.GetValue<string>();
    }

    public static async Task<string> CreateConnectionAsync(this HttpClient client, string companyId, string platformKey = "sbac")
    {
        var body = await client.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey }).ExpectAsync(HttpStatusCode.OK);
        return body["id"]!.GetValue<string>();
    }
}
