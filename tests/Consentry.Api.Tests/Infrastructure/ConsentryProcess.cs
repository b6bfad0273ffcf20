using System.Diagnostics;
using System.Net.Sockets;

namespace Consentry.Api.Tests.Infrastructure;

/// <summary>Consentry as a real separate process (the built Consentry.dll), so a test can SIGKILL it.</summary>
public sealed class ConsentryProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ConsentryProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    /// <summary>The process id, which the instance's lease tokens begin with (<c>{host}/{pid}/…</c>).</summary>
    public int ProcessId => _process.Id;

    public static async Task<ConsentryProcess> StartAsync(IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        port ??= FreePort();
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Consentry.dll"), "--urls", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Consentry exited at start with code {process.ExitCode}.");
            }

            try
            {
                if ((await http.GetAsync($"{url}/healthz/ready")).IsSuccessStatusCode)
                {
                    return new ConsentryProcess(process, url);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException("Consentry did not become ready within 120 s.");
    }

    /// <summary>SIGKILL: no shutdown, no cleanup, claims left behind.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
