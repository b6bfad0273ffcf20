using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Consentry.Api.Tests.Infrastructure;

/// <summary>Consentry as a real separate process (the built Consentry.dll), so a test can SIGKILL it.</summary>
public sealed class ConsentryProcess : IAsyncDisposable
{
    /// <summary>
    /// The key-ring protection every test process gets unless it sets its own (or runs in Development): outside
    /// Development Consentry refuses to start without one. The same for every process, as instances sharing a database need.
    /// </summary>
    public static readonly string TestKeyEncryptionKey = Convert.ToBase64String(SHA256.HashData("consentry-tests-key-ring"u8));

    private static readonly string[] ProtectionSettings =
    [
        "Consentry__DataProtection__KeyEncryptionKey", "Consentry__DataProtection__KeyEncryptionKeyFile",
        "Consentry__DataProtection__KeyEncryptionCertificate", "Consentry__DataProtection__AllowUnprotectedKeys",
    ];

    private readonly Process _process;

    private ConsentryProcess(Process process, string url, ConcurrentQueue<string> output)
    {
        _process = process;
        Url = url;
        Output = output;
    }

    public string Url { get; }

    /// <summary>The process id, which the instance's lease tokens begin with (<c>{host}/{pid}/…</c>).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Everything the process wrote (standard output and error), line by line.</summary>
    public ConcurrentQueue<string> Output { get; }

    /// <summary>
    /// Starts <c>dotnet Consentry.dll</c> from <paramref name="appDirectory"/> (the tests' own build output by default) in
    /// <paramref name="workingDirectory"/> (the temporary folder by default). Logging is at Warning unless
    /// <paramref name="environment"/> says otherwise; an empty value removes a variable.
    /// </summary>
    public static async Task<ConsentryProcess> StartAsync(IReadOnlyDictionary<string, string> environment, int? port = null,
        string? appDirectory = null, string? workingDirectory = null)
    {
        port ??= FreePort();
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet", [Path.Combine(appDirectory ?? AppContext.BaseDirectory, "Consentry.dll"), "--urls", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (environment.GetValueOrDefault("ASPNETCORE_ENVIRONMENT") != "Development" && !ProtectionSettings.Any(environment.ContainsKey))
        {
            start.Environment["Consentry__DataProtection__KeyEncryptionKey"] = TestKeyEncryptionKey;
        }

        foreach (var (key, value) in environment)
        {
            if (value.Length == 0)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var process = Process.Start(start)!;
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Consentry exited at start with code {process.ExitCode}:\n{string.Join('\n', output.TakeLast(40))}");
            }

            try
            {
                if ((await http.GetAsync($"{url}/healthz/ready")).IsSuccessStatusCode)
                {
                    return new ConsentryProcess(process, url, output);
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

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
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
