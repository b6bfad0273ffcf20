using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Consentry.Api.Tests.Sync;

/// <summary>
/// The sandbox platforms in their own web host on 127.0.0.1, as a third party would be: they outlive a Consentry
/// process that a test kills, and several Consentry instances can share them.
/// </summary>
public sealed class StandaloneSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StandaloneSandbox(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>Including the prefix, e.g. <c>http://127.0.0.1:5100/sandbox</c>.</summary>
    public string BaseUrl { get; }

    public static async Task<StandaloneSandbox> StartAsync(params string[] consentryOrigins)
    {
        var port = ConsentryProcess.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}/sandbox";
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddConsentrySandbox(new ConfigurationBuilder().Build(), o =>
        {
            o.BaseUrl = baseUrl;
            o.Clients.Add(new SandboxClientOptions
            {
                ClientId = SandboxOptions.DefaultClientId,
                ClientSecret = SandboxOptions.DefaultClientSecret,
                RedirectUris = [.. consentryOrigins.SelectMany(origin => new[] { "sbac", "sbbk", "sbcm" }.Select(k => $"{origin}/link/oauth/callback/{k}"))],
            });
        });
        var app = builder.Build();
        app.MapConsentrySandbox("/sandbox");
        await app.StartAsync();
        return new StandaloneSandbox(app, baseUrl);
    }

    public HttpClient Control()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl.TrimEnd('/') + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SandboxOptions.DefaultClientId}:{SandboxOptions.DefaultClientSecret}")));
        return client;
    }

    public async Task<JsonNode> PostAsync(string platformKey, string username, string control, object body) =>
        await Control().PostJsonAsync($"{platformKey}/control/users/{Uri.EscapeDataString(username)}/{control}", body).ExpectAsync(System.Net.HttpStatusCode.OK);

    public async Task<JsonNode> StatsAsync(string platformKey, string username) =>
        await Control().GetAsync($"{platformKey}/control/users/{Uri.EscapeDataString(username)}/stats").ExpectAsync(System.Net.HttpStatusCode.OK);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
