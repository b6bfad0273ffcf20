using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Consentry.Browser.Tests.Infrastructure;

/// <summary>
/// The fintech app the customer returns to: a real page on 127.0.0.1 (its own origin, as an app's is), answering every
/// GET with a small HTML page and recording what it was sent. (Playwright's route interception does not catch the
/// target of a redirect with this chromium, so the app is served for real.)
/// </summary>
public sealed class AppSite : IAsyncLifetime
{
    public const string Heading = "Back in the app";

    private WebApplication? _app;

    /// <summary>The app's origin, e.g. http://127.0.0.1:41234 (what the client's whiteListUrls allow).</summary>
    public string Origin { get; private set; } = "";

    /// <summary>Pages the app serves instead of its default one, by path (e.g. an app's page that embeds the Link SDK).</summary>
    public ConcurrentDictionary<string, string> Pages { get; } = new();

    /// <summary>Every path and query the app was opened at.</summary>
    public ConcurrentQueue<string> Visits { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/{**path}", (HttpContext context) =>
        {
            Visits.Enqueue(context.Request.Path + context.Request.QueryString);
            if (Pages.TryGetValue(context.Request.Path.Value ?? "", out var page))
            {
                return Results.Content(page, "text/html; charset=utf-8");
            }

            return Results.Content($"<!DOCTYPE html><html lang=\"en\"><head><title>App</title></head><body><h1>{Heading}</h1></body></html>",
                "text/html; charset=utf-8");
        });
        await _app.StartAsync();
        Origin = _app.Urls.First().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
