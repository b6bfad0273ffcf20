using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Consentry.Api.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for the test run. With <c>CONSENTRY_TEST_POSTGRES</c> set (a connection string to a
/// server whose user may create databases) that server is used; otherwise the PostgreSQL binaries on this machine
/// start one in a temporary folder, as an unprivileged user when the tests run as root (the server refuses root),
/// and stop it when the test process exits.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    /// <summary>A connection string to a new, empty database on the shared server.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = await Server.Value;
        var name = "consentry_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    }

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("CONSENTRY_TEST_POSTGRES") is { Length: > 0 } external)
        {
            return external;
        }

        var bin = FindBinaries();
        var root = Path.Combine(Path.GetTempPath(), "consentry-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        var runAs = Environment.UserName == "root" ? ServerUser() : null;
        if (runAs is not null)
        {
            await RunAsync("chown", ["-R", runAs, root], null);
        }

        var port = FreePort();
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], runAs);
        await RunAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
             "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
             "start"], runAs);

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"], runAs);
                Directory.Delete(root, recursive: true);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                // Best effort: the folder is temporary.
            }
        };

        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50";
    }

    private static string FindBinaries()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin"))
            : [];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException(
                "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. "
                + "Install PostgreSQL or set CONSENTRY_TEST_POSTGRES to a connection string.");
    }

    private static string ServerUser()
    {
        foreach (var user in new[] { "postgres", "nobody" })
        {
            if (Run("id", ["-u", user], null) == 0)
            {
                return user;
            }
        }

        throw new InvalidOperationException("No unprivileged user (postgres or nobody) exists to run PostgreSQL as.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] args, string? runAs)
    {
        var (exit, output) = await Task.Run(() => (Run(file, args, runAs, out var text), text));
        if (exit != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({exit}): {output}");
        }
    }

    private static int Run(string file, string[] args, string? runAs) => Run(file, args, runAs, out _);

    private static int Run(string file, string[] args, string? runAs, out string output)
    {
        var start = runAs is null
            ? new ProcessStartInfo(file)
            : new ProcessStartInfo("runuser", ["-u", runAs, "--", file]);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        output = stdout.Result + stderr;
        return process.ExitCode;
    }
}
