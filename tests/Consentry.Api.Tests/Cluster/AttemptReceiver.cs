using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Consentry.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Consentry.Api.Tests.Cluster;

/// <summary>
/// A webhook endpoint that records every attempt as an interval (arrival until answered, or until the sender's
/// connection went away), so a test can prove no delivery was being sent twice at once. While <see cref="Hold"/> is on,
/// attempts are held open (a slow endpoint); a held attempt ends when the sender dies or <see cref="Hold"/> goes off.
/// </summary>
public sealed class AttemptReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _hold;

    private AttemptReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<Attempt> Attempts { get; } = new();

    public string Url => _app.Urls.First() + "/hook";

    public bool Hold
    {
        get => _hold;
        set
        {
            _hold = value;
            if (value)
            {
                Interlocked.Exchange(ref _released, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
            else
            {
                _released.TrySetResult();
            }
        }
    }

    public static async Task<AttemptReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new AttemptReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            var attempt = new Attempt(context.Request.Headers["webhook-id"].ToString(), DateTimeOffset.UtcNow);
            receiver.Attempts.Enqueue(attempt);
            await context.Request.Body.CopyToAsync(Stream.Null);
            if (receiver._hold)
            {
                // Held until released or until the sender is gone (a killed instance's connection is reset).
                await Task.WhenAny(receiver._released.Task, Task.Delay(Timeout.Infinite, context.RequestAborted));
            }

            attempt.Ended = DateTimeOffset.UtcNow;
            attempt.Aborted = context.RequestAborted.IsCancellationRequested;
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        _released.TrySetResult();
        await _app.DisposeAsync();
    }

    public sealed class Attempt(string messageId, DateTimeOffset arrived)
    {
        public string MessageId => messageId;

        public DateTimeOffset Arrived => arrived;

        public DateTimeOffset? Ended { get; set; }

        public bool Aborted { get; set; }

        public override string ToString() => $"{messageId} {arrived:HH:mm:ss.fff}–{Ended:HH:mm:ss.fff}{(Aborted ? " (aborted)" : "")}";
    }
}

public static class AttemptReceiverExtensions
{
    /// <summary>Waits (bounded) until each message was attempted again after <paramref name="after"/>; returns when each first was.</summary>
    public static async Task<List<DateTimeOffset>> WaitForAsync(this AttemptReceiver receiver, IReadOnlyCollection<string> messages, DateTimeOffset after, int seconds = 60)
    {
        var found = await Eventually.ReachAsync(
            () => Task.FromResult(receiver.Attempts.Where(a => a.Arrived > after).GroupBy(a => a.MessageId).ToDictionary(g => g.Key, g => g.Min(a => a.Arrived))),
            seen => messages.All(seen.ContainsKey), seconds);
        return [.. messages.Select(m => found[m])];
    }
}
