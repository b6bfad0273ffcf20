using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace Consentry.Browser.Tests.Infrastructure;

/// <summary>
/// One page in its own browser context (fresh cookies) opened on the Link host. Records every request and main-frame
/// navigation, and the HTML of each page it navigated to through its methods (see <see cref="SnapshotAsync"/>).
/// </summary>
public sealed class LinkTab : IAsyncDisposable
{
    /// <summary>How long an action or navigation may take before the test fails (generous for a loaded 2-core CI machine).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly List<string> _requests = [];
    private readonly List<string> _navigations = [];
    private readonly List<string> _html = [];
    private readonly List<string> _errors = [];

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

    /// <summary>Script errors and console errors (CSP violations among them) of every page, in order.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>The HTML of every page snapshotted so far.</summary>
    public IReadOnlyList<string> Html => _html;

    public static async Task<LinkTab> OpenAsync(Chromium chromium, string baseUrl, int width = 460, int height = 840, float deviceScaleFactor = 1)
    {
        var context = await chromium.Browser.NewContextAsync(new()
        {
            BaseURL = baseUrl,
            ViewportSize = new() { Width = width, Height = height },
            DeviceScaleFactor = deviceScaleFactor,
            Locale = "en-GB",
            ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Timeout.TotalMilliseconds);

        var page = await context.NewPageAsync();
        var tab = new LinkTab(context, page);
        page.Request += (_, request) =>
        {
            lock (tab._requests)
            {
                tab._requests.Add(request.Url);
            }
        };
        page.Console += (_, message) =>
        {
            // A document answered with an error status (a refusal page) is logged as "Failed to load resource" too:
            // failed subresources are recorded from their responses below instead, with their URL.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                lock (tab._errors)
                {
                    tab._errors.Add($"{page.Url}: {message.Text}");
                }
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && response.Request.ResourceType != "document")
            {
                lock (tab._errors)
                {
                    tab._errors.Add($"{page.Url}: {response.Request.ResourceType} {response.Url} answered {response.Status}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (tab._errors)
            {
                tab._errors.Add($"{page.Url}: {error}");
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

    /// <summary>Keeps the HTML of the page as it is once loaded.</summary>
    public async Task SnapshotAsync()
    {
        // The document is parsed (readyState past "loading"), asked of the page itself: Playwright's lifecycle events
        // (load, even DOMContentLoaded) have been seen to stall on a busy machine. A navigation in between destroys the
        // context the check runs in; then ask the new document.
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                await Page.WaitForFunctionAsync("() => document.readyState !== 'loading'");
                _html.Add(await Page.ContentAsync());
                return;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A query parameter of the page's current URL.</summary>
    public string? Query(string name) =>
        QueryHelpers.ParseQuery(new Uri(Page.Url).Query).TryGetValue(name, out var value) ? value.ToString() : null;

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

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
            await navigated.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(
                $"No navigation to the expected URL within {Timeout.TotalSeconds} s; the browser is at {Page.Url}. Errors: {string.Join(" | ", Errors)}", e);
        }
        finally
        {
            Page.FrameNavigated -= OnNavigated;
        }

        await SnapshotAsync();
    }
}
