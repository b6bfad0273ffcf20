using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;

namespace Consentry.Api.Tests.Sync;

/// <summary>The host on Kestrel with a fast-polling sync worker, and helpers to walk a sandbox journey and drive the sandbox.</summary>
public class SyncApp(DatabaseProvider provider, string? sharedConnectionString = null) : LinkApp(provider, sharedConnectionString)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Consentry:Sync:PollMilliseconds"] = "50",
        ["Consentry:Sync:PageSize"] = "200",
    };

    /// <summary>Creates a company and a connection, and walks the journey as <paramref name="username"/>; the connection ends Linked.</summary>
    public async Task<(string CompanyId, string ConnectionId)> LinkAsync(string platformKey, string username, string companyName = "Sync Ltd", object? tags = null)
    {
        var api = Alpha();
        var companyId = await api.CreateCompanyAsync(companyName, tags);
        var connectionId = await LinkConnectionAsync(companyId, platformKey, username);
        var linked = await api.GetAsync($"/companies/{companyId}/connections/{connectionId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Linked", linked["status"]!.GetValue<string>());
        return (companyId, connectionId);
    }

    /// <summary>Creates a connection to <paramref name="platformKey"/> for an existing company and walks its journey as <paramref name="username"/>.</summary>
    public async Task<string> LinkConnectionAsync(string companyId, string platformKey, string username)
    {
        var connection = await Alpha().PostJsonAsync($"/companies/{companyId}/connections", new { platformKey }).ExpectAsync(HttpStatusCode.OK);
        using var browser = Browser();
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = username, ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");
        return connection["id"]!.GetValue<string>();
    }

    /// <summary>The sandbox's test controls (authenticated as Consentry's sandbox OAuth client).</summary>
    public HttpClient SandboxControl()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("consentry-local:consentry-local-secret")));
        return client;
    }

    public async Task<JsonNode> SandboxStatsAsync(string platformKey, string username) =>
        await SandboxControl().GetAsync($"/sandbox/{platformKey}/control/users/{Uri.EscapeDataString(username)}/stats").ExpectAsync(HttpStatusCode.OK);

    public async Task<JsonNode> SandboxAsync(string platformKey, string username, string control, object? body = null) =>
        await SandboxControl().PostJsonAsync($"/sandbox/{platformKey}/control/users/{Uri.EscapeDataString(username)}/{control}", body ?? new { }).ExpectAsync(HttpStatusCode.OK);

    /// <summary>Waits (bounded) until every data type in the company's data status has left Queued and Fetching.</summary>
    public async Task<JsonNode> WaitForDataStatusAsync(string companyId, Func<JsonObject, bool> condition, int seconds = 60)
    {
        var api = Alpha();
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonObject status;
        do
        {
            status = (JsonObject)await api.GetAsync($"/companies/{companyId}/dataStatus").ExpectAsync(HttpStatusCode.OK);
            if (condition(status))
            {
                return status;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"The data status did not reach the expected state within {seconds} s: {status.ToJsonString()}");
    }

    public static bool AllComplete(JsonObject status, params string[] dataTypes) =>
        dataTypes.All(t => status[t]?["currentStatus"]?.GetValue<string>() == "Complete");
}

public sealed class SqliteSyncApp() : SyncApp(DatabaseProvider.Sqlite);

public sealed class PostgresSyncApp() : SyncApp(DatabaseProvider.Postgres);
