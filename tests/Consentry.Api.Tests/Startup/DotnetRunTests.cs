using System.Diagnostics;
using System.Net;
using Consentry.Api.Tests.Cluster;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Features.KeyRing;

namespace Consentry.Api.Tests.Startup;

/// <summary>
/// <c>dotnet run --project src/Consentry</c> as the README has a newcomer type it (without the build: the tests built it):
/// the data lands in <c>./.consentry</c> of the directory the command was run from, not of the project.
/// </summary>
public sealed class DotnetRunTests
{
    [Fact]
    public async Task DotnetRun_KeepsTheDataUnderTheDirectoryItWasRunFrom_AndServesTheProjectsFiles()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("consentry-run-").FullName;
        var url = $"http://127.0.0.1:{ConsentryProcess.FreePort()}";
        using var server = Start(workingDirectory, "--urls", url);
        try
        {
            using var http = new HttpClient();
            await Eventually.ReachAsync(() => ReadyAsync(http, url), ready => ready || server.HasExited, seconds: 180);
            Assert.False(server.HasExited, "dotnet run exited at start.");

            Assert.True(File.Exists(Path.Combine(workingDirectory, ".consentry", "consentry.db")), "No ./.consentry/consentry.db where dotnet run was run.");
            // The content root is still the project: wwwroot (the Link SDK) and appsettings.json are found.
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{url}/sdk/link.js")).StatusCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        // The operator's key command through dotnet run (docs/security.md) is still a command, after --contentRoot.
        using var command = Start(workingDirectory, "key-rotations");
        using var hung = new CancellationTokenSource(TimeSpan.FromMinutes(5)); // a guard against a server started by mistake
        await command.WaitForExitAsync(hung.Token);
        Assert.Equal(0, command.ExitCode);
    }

    [Theory]
    [InlineData(new[] { "rotate-keys" }, new[] { "rotate-keys" })]
    [InlineData(new[] { "--contentRoot", "/src/Consentry", "rotate-keys", "revoke-old-keys" }, new[] { "rotate-keys", "revoke-old-keys" })]
    [InlineData(new[] { "--contentRoot", "/src/Consentry", "--urls", "http://127.0.0.1:5000" }, new string[0])]
    [InlineData(new[] { "--Consentry:DataDirectory=/data", "key-rotations" }, new[] { "key-rotations" })]
    public void KeyCommands_AreTheWordsBesideTheSettings(string[] args, string[] words) =>
        Assert.Equal(words, KeyRingSetup.CommandWords(args));

    private static Process Start(string workingDirectory, params string[] appArguments)
    {
        var project = Path.Combine(NginxProcess.RepositoryRoot(), "src", "Consentry");
        // The configuration the tests were built in (bin/<Configuration>/net10.0/), whose Consentry build is there too.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var start = new ProcessStartInfo("dotnet", ["run", "--project", project, "--no-build", "-c", configuration, "--", .. appArguments])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Consentry__Bootstrap__ApiKey"] = "dotnet-run-test-key-0123456789";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<bool> ReadyAsync(HttpClient http, string url)
    {
        try
        {
            return (await http.GetAsync($"{url}/healthz/ready")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
