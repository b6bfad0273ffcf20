using System.Diagnostics;
using Consentry.Api.Tests.Infrastructure;

namespace Consentry.Api.Tests.Docs;

/// <summary>
/// The README's curl tour, taken from README.md itself and run with bash, in order, against Consentry started the way
/// the README's first command starts it: a line that stops working fails this test.
/// </summary>
public sealed class ReadmeTourTests
{
    private const string ReadmeBase = "BASE=http://localhost:5000";

    [Fact]
    public async Task EveryLineOfTheTour_RunsAsWritten_AgainstTheServerOfTheFirstCommand()
    {
        var readme = Readme.Load();
        var environment = new Dictionary<string, string>(readme.StartCommandEnvironment())
        {
            ["Consentry__DataDirectory"] = Path.Combine(Path.GetTempPath(), "consentry-readme-" + Guid.NewGuid().ToString("N")[..8]),
            // What `dotnet run` adds from src/Consentry/Properties/launchSettings.json: the first command runs in Development.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        };
        Assert.Contains("Consentry__Bootstrap__ApiKey", environment.Keys); // the tour's KEY comes from the first command
        var blocks = readme.TourBlocks("## A 5-minute tour", "## Configuration");
        Assert.True(blocks.Count >= 3, $"Only {blocks.Count} tour blocks found in README.md.");
        var tour = string.Join('\n', blocks);
        Assert.Single(tour.Split('\n'), l => l.StartsWith(ReadmeBase, StringComparison.Ordinal));

        await using var server = await ConsentryProcess.StartAsync(environment);
        // The one change: the server listens on a free port, not on 5000. Every curl must get a 2xx (--fail-with-body
        // turns anything else into an error that still shows Consentry's answer), every variable must be set (-u), and
        // any failing command, also inside $(…) or a pipe, stops the run (-e, pipefail).
        var script = string.Join('\n',
            "set -euo pipefail",
            "curl() { command curl --fail-with-body --show-error --max-time 60 \"$@\"; }",
            "set -x",
            tour.Replace(ReadmeBase, "BASE=" + server.Url, StringComparison.Ordinal),
            "echo TOUR-COMPLETED");

        var (exitCode, output) = await RunBashAsync(script);

        Assert.True(exitCode == 0, $"The README tour failed (exit {exitCode}):\n{output}");
        Assert.Contains("TOUR-COMPLETED", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"statusCode\":4", output, StringComparison.Ordinal); // no Codat error body in any answer
    }

    [Fact]
    public void TourBlocks_SkipOnlyTheMarkedBlocks()
    {
        var blocks = Readme.Load().TourBlocks("## A 5-minute tour", "## Configuration");

        Assert.Contains(blocks, b => b.Contains("WEBHOOK=$(", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.Contains("TOKEN=$(", StringComparison.Ordinal));
        Assert.DoesNotContain(blocks, b => b.Contains("node examples/copay/server.mjs", StringComparison.Ordinal));
    }

    private static async Task<(int ExitCode, string Output)> RunBashAsync(string script)
    {
        var path = Path.Combine(Path.GetTempPath(), "consentry-readme-tour-" + Guid.NewGuid().ToString("N")[..8] + ".sh");
        await File.WriteAllTextAsync(path, script);
        try
        {
            var start = new ProcessStartInfo("bash", [path])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.GetTempPath(),
            };
            using var bash = Process.Start(start)!;
            var stdout = bash.StandardOutput.ReadToEndAsync();
            var stderr = bash.StandardError.ReadToEndAsync();
            // A guard against a hung command, not a time limit on the tour: each curl has its own --max-time.
            using var hung = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            try
            {
                await bash.WaitForExitAsync(hung.Token);
            }
            catch (OperationCanceledException)
            {
                bash.Kill(entireProcessTree: true);
                throw;
            }

            return (bash.ExitCode, await stdout + "\n" + await stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
