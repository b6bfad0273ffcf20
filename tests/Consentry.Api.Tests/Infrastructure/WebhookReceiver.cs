using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Consentry.Api.Tests.Infrastructure;

/// <summary>A real HTTP endpoint on 127.0.0.1 that records what it receives and answers as a test tells it to.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>Decides the answer for each request (default: 200).</summary>
    public Func<ReceivedWebhook, Task<IResult>> Respond { get; set; } = _ => Task.FromResult(Results.Ok());

    public string Url(string path = "/hook") => _app.Urls.First() + path;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var received = new ReceivedWebhook(
                context.Request.Path,
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                await reader.ReadToEndAsync(),
                DateTimeOffset.UtcNow);
            receiver.Received.Enqueue(received);
            return await receiver.Respond(received);
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds for what was received.</summary>
    public async Task<List<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            var snapshot = Received.ToList();
            if (condition(snapshot))
            {
                return snapshot;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"The receiver did not see what the test waited for within {seconds} s; it saw {Received.Count} requests.");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public System.Text.Json.Nodes.JsonNode Json => System.Text.Json.Nodes.JsonNode.Parse(Body)!;

    public string EventType => Json["eventType"]!.GetValue<string>();
}
