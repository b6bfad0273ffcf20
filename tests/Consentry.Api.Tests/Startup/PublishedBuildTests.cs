using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Consentry.Api.Tests.Cluster;
using Consentry.Api.Tests.Infrastructure;

namespace Consentry.Api.Tests.Startup;

/// <summary>
/// A published build started as an operator starts it, <c>dotnet /opt/…/Consentry.dll</c> from another folder (issue 20,
/// item 5): its content root is its own folder, so it serves its static files and reads its appsettings.json, while
/// its data stays under the working directory.
/// </summary>
public sealed class PublishedBuildTests
{
    [Fact]
    public async Task PublishedBuild_StartedFromAnotherFolder_ServesItsFiles_AndAppliesItsAppsettings()
    {
        var root = Directory.CreateTempSubdirectory("consentry-published-").FullName;
        var app = Path.Combine(root, "app");
        await PublishAsync(app);
        var working = Directory.CreateDirectory(Path.Combine(root, "elsewhere")).FullName;
        var keyFile = Path.Combine(Directory.CreateDirectory(Path.Combine(root, "secrets")).FullName, "keyring.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        const string key = "published-build-key-0123456789";

        await using var server = await ConsentryProcess.StartAsync(new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "", // the levels of the published appsettings.json, nothing else
            ["Consentry__Bootstrap__ApiKey"] = key,
            ["Consentry__DataProtection__KeyEncryptionKeyFile"] = keyFile,
        }, appDirectory: app, workingDirectory: working);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };

        foreach (var (path, type) in new[] { ("/sdk/link.js", "javascript"), ("/link/link.css", "text/css"), ("/portal/portal.js", "javascript"), ("/portal/portal.css", "text/css") })
        {
            using var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Contains(type, response.Content.Headers.ContentType!.MediaType!, StringComparison.Ordinal);
        }

        http.DefaultRequestHeaders.Add("Authorization", "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key)));
        await http.PostJsonAsync("/companies", new { name = "Published Ltd" }).ExpectAsync(HttpStatusCode.OK);
        Assert.True(File.Exists(Path.Combine(working, ".consentry", "consentry.db")), "the data directory is not relative to the working directory");

        // appsettings.json: Information by default (the lifetime messages appear), EF Core and ASP.NET Core at Warning
        // (no SQL, no request lines). Without it, every SQL statement the company's creation ran would be here.
        var output = await Eventually.ReachAsync(() => Task.FromResult(server.Output.ToList()), lines => lines.Any(l => l.Contains("Application started", StringComparison.Ordinal)));
        Assert.DoesNotContain(output, l => l.Contains("Executed DbCommand", StringComparison.Ordinal) || l.Contains("INSERT INTO", StringComparison.Ordinal));
        Assert.DoesNotContain(output, l => l.Contains("Microsoft.AspNetCore.", StringComparison.Ordinal) && l.Contains("info:", StringComparison.Ordinal));
    }

    /// <summary><c>dotnet publish</c> of the build the tests run against (no compile: it copies the outputs and wwwroot).</summary>
    private static async Task PublishAsync(string output)
    {
        var project = Path.Combine(NginxProcess.RepositoryRoot(), "src", "Consentry");
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var start = new ProcessStartInfo("dotnet", ["publish", project, "--no-build", "-c", configuration, "-o", output, "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var publish = Process.Start(start)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        using var hung = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await publish.WaitForExitAsync(hung.Token);
        Assert.True(publish.ExitCode == 0, $"dotnet publish failed:\n{await stdout}\n{await stderr}");
    }
}
