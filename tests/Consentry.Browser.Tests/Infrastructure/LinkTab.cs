using Microsoft.Playwright;

namespace Consentry.Browser.Tests.Infrastructure;

/// <summary>
/// One page in its own browser context (fresh cookies) opened on the Link host. The app the customer returns to
/// (<see cref="AppOrigin"/>) is answered by route interception, so no request leaves the machine. Records every
/// request and main-frame navigation, and the HTML of each page the test took a <see cref="SnapshotAsync"/> of.
/// </summary>
public sealed class LinkTab : IAsyncDisposable
{
    public const string AppOrigin = "https://app.example";
    public const string AppPageHeading = "Back in the app";

    /// <summary>How long an action or navigation may take before the test fails (generous for a loaded 2-core CI machine).</summary>
    public static readonly TimeSpan NavigationTimeout = TimeSpan.FromSeconds(15);

    private readonly List<string> _requests = [];
    private readonly List<string> _navigations = [];
    private readonly List<string> _html = [];

    private LinkTab(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Every URL the browser requested (documents, styles, scripts, images), in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Every URL the main frame navigated to, in order.</summary>
    public IReadOnlyList<string> Navigations
    {
        get
        {
            lock (_navigations)
            {
                return [.. _navigations];
            }
        }
    }

    /// <summary>The HTML of every page snapshotted so far.</summary>
    public IReadOnlyList<string> Html => _html;

    /// <param name="cspBypassedBecause">A <see cref="KnownBugs"/> reason to let the browser ignore the pages' CSP; null enforces it.</param>
    public static async Task<LinkTab> OpenAsync(Chromium chromium, string baseUrl, int width = 460, int height = 840, string? cspBypassedBecause = null)
    {
        var context = await chromium.Browser.NewContextAsync(new()
        {
            BaseURL = baseUrl,
            ViewportSize = new() { Width = width, Height = height },
            Locale = "en-GB",
            ServiceWorkers = ServiceWorkerPolicy.Block,
            // Only for a journey that a known page bug would otherwise stop (see KnownBugs): the reason is in the call.
            BypassCSP = cspBypassedBecause is not null,
        });
        context.SetDefaultTimeout((float)NavigationTimeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)NavigationTimeout.TotalMilliseconds);
        await context.RouteAsync(AppOrigin + "/**", route => route.FulfillAsync(new()
        {
            Status = 200,
            ContentType = "text/html; charset=utf-8",
            Body = $"<!DOCTYPE html><html lang=\"en\"><head><title>App</title></head><body><h1>{AppPageHeading}</h1></body></html>",
        }));

        File.AppendAllText("/tmp/steps.log", $"{Clock.ElapsedMilliseconds,7} context\n");
        var page = await context.NewPageAsync();
        var tab = new LinkTab(context, page);
        page.Request += (_, request) =>
        {
            lock (tab._requests)
            {
                tab._requests.Add(request.Url);
            }
        };
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                lock (tab._navigations)
                {
                    tab._navigations.Add(frame.Url);
                }
            }
        };
        return tab;
    }

    /// <summary>Opens a URL (relative to the Link host) and snapshots the page.</summary>
    public async Task GotoAsync(string url)
    {
        await Page.GotoAsync(url);
        await SnapshotAsync();
    }

    /// <summary>Clicks a control that navigates, waits for a navigation to a URL matching <paramref name="url"/>, and snapshots it.</summary>
    public Task ClickAndWaitAsync(ILocator control, Func<string, bool> url) => NavigateAsync(() => control.ClickAsync(), url);

    /// <summary>Presses a key (Enter on a focused button), waits for a navigation matching <paramref name="url"/>, and snapshots it.</summary>
    public Task PressAndWaitAsync(string key, Func<string, bool> url) => NavigateAsync(() => Page.Keyboard.PressAsync(key), url);

    /// <summary>Runs <paramref name="action"/> and waits for the main frame to commit a navigation to a matching URL (even the same URL again).</summary>
    private async Task NavigateAsync(Func<Task> action, Func<string, bool> url)
    {
        var navigated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnNavigated(object? sender, IFrame frame)
        {
            if (frame == Page.MainFrame && url(frame.Url))
            {
                navigated.TrySetResult();
            }
        }

        Page.FrameNavigated += OnNavigated;
        try
        {
            await action();
            await navigated.Task.WaitAsync(NavigationTimeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"No navigation to the expected URL within {NavigationTimeout.TotalSeconds} s; the browser is at {Page.Url}.", e);
        }
        finally
        {
            Page.FrameNavigated -= OnNavigated;
        }

        await SnapshotAsync();
    }

    private static readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();

    public async Task SnapshotAsync()
    {
        File.AppendAllText("/tmp/steps.log", $"{Clock.ElapsedMilliseconds,7} {GetHashCode():x8} {Page.Url}\n");
        await Page.WaitForLoadStateAsync(LoadState.Load);
        _html.Add(await Page.ContentAsync());
    }

    /// <summary>A query parameter of the page's current URL.</summary>
    public string? Query(string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(Page.Url).Query).TryGetValue(name, out var value) ? value.ToString() : null;

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
