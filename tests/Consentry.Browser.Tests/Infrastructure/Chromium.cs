using Microsoft.Playwright;

namespace Consentry.Browser.Tests.Infrastructure;

/// <summary>
/// One headless Debian chromium per test class (Playwright's own node driver talks to it; no browser is downloaded).
/// Each test gets its own <see cref="LinkTab"/>: a fresh browser context, so fresh cookies.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Debian's chromium is not at {ExecutablePath}: ./test.sh installs it (apt-get install chromium).");
        }

        Assertions.SetDefaultExpectTimeout((float)LinkTab.Timeout.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
