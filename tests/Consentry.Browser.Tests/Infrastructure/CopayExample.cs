using System.Diagnostics;
using Consentry.Api.Tests.Infrastructure;

namespace Consentry.Browser.Tests.Infrastructure;

/// <summary>
/// The example app (<c>examples/copay/server.mjs</c>) run exactly as its README says, with node, beside the Kestrel
/// host: on its own origin (127.0.0.1 and a free port), configured against the Alpha client. Stopped with its process.
/// </summary>
public sealed class CopayExample : IAsyncDisposable
{
    private readonly Process _process;

    private CopayExample(Process process, string origin)
    {
        _process = process;
        Origin = origin;
    }

    /// <summary>The example's origin, e.g. http://127.0.0.1:41234.</summary>
    public string Origin { get; }

    public static async Task<CopayExample> StartAsync(LinkApp app)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("node", [Path.Combine(root, "examples", "copay", "server.mjs")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        start.Environment["CONSENTRY_URL"] = app.BaseUrl;
        start.Environment["CONSENTRY_API_KEY"] = ConsentryApp.AlphaKey;
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment["PORT"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        var errors = process.StandardError.ReadToEndAsync();

        // The example prints its origin once it listens and has configured the client (CORS origin, redirect URL).
        const string Ready = "CoPay is running at ";
        while (await process.StandardOutput.ReadLineAsync().WaitAsync(LinkTab.Timeout) is { } line)
        {
            if (line.StartsWith(Ready, StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return new CopayExample(process, line[Ready.Length..].Split(' ')[0]);
            }
        }

        throw new InvalidOperationException($"The example stopped before listening: {await errors}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
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
