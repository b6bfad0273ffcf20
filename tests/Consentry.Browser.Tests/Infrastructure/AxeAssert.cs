using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace Consentry.Browser.Tests.Infrastructure;

/// <summary>
/// axe-core (npm, pinned in <c>tests/Consentry.Browser.Tests/Axe/package.json</c>) run in a page or a frame against the
/// WCAG 2.0/2.1/2.2 A and AA rules; fails listing every serious or critical violation with its nodes. The package is
/// installed with <c>npm ci</c> the first time a test needs it (nothing to do, so offline-safe, once node_modules exists).
/// Impacts "minor" and "moderate" are not failures (the bar is WCAG's serious and critical ones).
/// </summary>
public static class AxeAssert
{
    private static readonly SemaphoreSlim Installing = new(1, 1);
    private static string? _script;

    /// <summary>Runs axe in the page's main frame.</summary>
    public static Task NoSeriousViolationsAsync(IPage page, string name) => NoSeriousViolationsAsync(page.MainFrame, name);

    /// <summary>Runs axe in one frame (an embedded journey is checked in its own frame, as axe cannot reach across origins).</summary>
    public static async Task NoSeriousViolationsAsync(IFrame frame, string name)
    {
        var violations = await ViolationsAsync(frame);
        Assert.True(violations.Count == 0, $"{name} ({frame.Url}): {violations.Count} serious or critical axe violations:\n" + string.Join("\n", violations));
    }

    /// <summary>Every serious or critical violation as "id (impact): help — target, target …".</summary>
    public static async Task<List<string>> ViolationsAsync(IFrame frame)
    {
        // Evaluated rather than added as a <script> element: the pages' CSP (script-src 'self') refuses inline scripts,
        // and the tests check the pages with their CSP enforced.
        if (!await frame.EvaluateAsync<bool>("() => typeof axe !== 'undefined'"))
        {
            await frame.EvaluateAsync(await ScriptAsync() + "\n;0");
        }

        var json = await frame.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
                resultTypes: ['violations'],
              });
              return JSON.stringify(result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v =>
                `${v.id} (${v.impact}): ${v.help} — ` + v.nodes.map(n => n.target.join(' ') + (n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ')}]` : '')).join('; ')));
            }
            """);
        return JsonSerializer.Deserialize<List<string>>(json) ?? [];
    }

    private static async Task<string> ScriptAsync()
    {
        if (_script is not null)
        {
            return _script;
        }

        await Installing.WaitAsync();
        try
        {
            var folder = Path.Combine(RepositoryRoot(), "tests", "Consentry.Browser.Tests", "Axe");
            var script = Path.Combine(folder, "node_modules", "axe-core", "axe.min.js");
            if (!File.Exists(script))
            {
                var start = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                {
                    WorkingDirectory = folder,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm could not be started.");
                var output = npm.StandardOutput.ReadToEndAsync();
                var errors = npm.StandardError.ReadToEndAsync();
                await npm.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
                if (npm.ExitCode != 0 || !File.Exists(script))
                {
                    throw new InvalidOperationException($"npm ci in {folder} failed ({npm.ExitCode}): {await output} {await errors}");
                }
            }

            return _script = await File.ReadAllTextAsync(script);
        }
        finally
        {
            Installing.Release();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Consentry.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Consentry.slnx) was not found above the test binaries.");
    }
}
