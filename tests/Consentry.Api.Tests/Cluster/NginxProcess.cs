using System.Diagnostics;

namespace Consentry.Api.Tests.Cluster;

/// <summary>
/// nginx (Debian's package; test.sh installs it) as the cluster's load balancer, configured from the same template as
/// deploy/local-cluster.sh (deploy/nginx/consentry.conf.template), in a private folder, on 127.0.0.1.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _prefix;

    private NginxProcess(Process process, string prefix, string url)
    {
        _process = process;
        _prefix = prefix;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Starts nginx on <paramref name="port"/> in front of <paramref name="instancePorts"/>; the first one serves /sandbox/.</summary>
    public static async Task<NginxProcess> StartAsync(int port, IReadOnlyList<int> instancePorts)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed (apt-get install nginx; test.sh does it).");
        var prefix = Path.Combine(Path.GetTempPath(), "consentry-nginx-" + Guid.NewGuid().ToString("N")[..8]);
        var temp = Directory.CreateDirectory(Path.Combine(prefix, "tmp"));
        // Started by root, nginx's worker runs as nobody and must write its temporary files.
        if (!OperatingSystem.IsWindows())
        {
            temp.UnixFileMode = (UnixFileMode)0x3FF; // 1777
        }
        var config = (await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "deploy", "nginx", "consentry.conf.template")))
            .Replace("@PREFIX@", prefix, StringComparison.Ordinal)
            .Replace("@LISTEN@", $"127.0.0.1:{port}", StringComparison.Ordinal)
            .Replace("@SERVERS@", string.Concat(instancePorts.Select(p => $"server 127.0.0.1:{p} max_fails=1 fail_timeout=2s; ")), StringComparison.Ordinal)
            .Replace("@SANDBOX@", $"server 127.0.0.1:{instancePorts[0]};", StringComparison.Ordinal);
        var file = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(file, config);

        var start = new ProcessStartInfo(nginx, ["-c", file, "-p", prefix])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited at start ({process.ExitCode}): {ErrorLog(prefix)}");
            }

            try
            {
                if ((await http.GetAsync($"{url}/lb-status")).IsSuccessStatusCode)
                {
                    return new NginxProcess(process, prefix, url);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"nginx did not answer within 10 s: {ErrorLog(prefix)}");
    }

    public static string RepositoryRoot()
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

    private static string ErrorLog(string prefix) =>
        File.Exists(Path.Combine(prefix, "error.log")) ? File.ReadAllText(Path.Combine(prefix, "error.log")) : "";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_prefix, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is temporary.
        }
    }
}
