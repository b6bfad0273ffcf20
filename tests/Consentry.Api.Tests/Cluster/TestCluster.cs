using System.Net.Http.Headers;
using System.Text;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Persistence;
using Consentry.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Cluster;

/// <summary>
/// The local cluster of deploy/local-cluster.sh, for tests: a fresh PostgreSQL database, N Consentry processes (the
/// built Consentry.dll, each on a fixed 127.0.0.1 port so nginx's list stays right across restarts) and nginx in front.
/// Instances get nginx's URL as their public base URL, so Link redirects and OAuth callbacks go through it. Instance 0
/// serves the sandbox platforms for everyone (their grants live in its memory), so fault tests kill the others.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    public const string Key = "cluster-test-key-0123456789abcdef";

    private readonly ConsentryProcess?[] _instances;
    private readonly int[] _ports;
    private readonly Dictionary<string, string> _environment;

    private TestCluster(string connectionString, int[] ports, Dictionary<string, string> environment)
    {
        ConnectionString = connectionString;
        _ports = ports;
        _instances = new ConsentryProcess?[ports.Length];
        _environment = environment;
    }

    public string ConnectionString { get; }

    public NginxProcess? Nginx { get; private set; }

    public string Url => Nginx!.Url;

    public int Count => _ports.Length;

    /// <summary>Starts every instance at once on the new, empty database, then nginx.</summary>
    public static async Task<TestCluster> StartAsync(int instances, IReadOnlyDictionary<string, string>? settings = null)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        var nginxPort = ConsentryProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["Consentry__Database__Provider"] = "Postgres",
            ["ConnectionStrings__Consentry"] = connectionString,
            ["Consentry__PublicBaseUrl"] = $"http://127.0.0.1:{nginxPort}",
            ["Consentry__Bootstrap__ApiKey"] = Key,
            ["Consentry__Webhooks__AllowPrivateNetworks"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var ports = Enumerable.Range(0, instances).Select(_ => ConsentryProcess.FreePort()).ToArray();
        var cluster = new TestCluster(connectionString, ports, environment);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, instances).Select(cluster.StartInstanceAsync));
            cluster.Nginx = await NginxProcess.StartAsync(nginxPort, ports);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartInstanceAsync(int index)
    {
        var environment = new Dictionary<string, string>(_environment)
        {
            ["Consentry__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"consentry-cluster-{Guid.NewGuid():N}"),
        };
        _instances[index] = await ConsentryProcess.StartAsync(environment, _ports[index]);
    }

    /// <summary>SIGKILL: no shutdown, claims and half-done requests left behind.</summary>
    public void Kill(int index)
    {
        _instances[index]?.Kill();
        _instances[index] = null;
    }

    public string InstanceUrl(int index) => $"http://127.0.0.1:{_ports[index]}";

    /// <summary>An API client through nginx, as the app would use it.</summary>
    public HttpClient Api()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Key)));
        return client;
    }

    /// <summary>The sandbox's control API (per-user latency, stats, record counts), through nginx.</summary>
    public HttpClient SandboxControl()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url + "/sandbox/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            Encoding.UTF8.GetBytes($"{Sandbox.SandboxOptions.DefaultClientId}:{Sandbox.SandboxOptions.DefaultClientSecret}")));
        return client;
    }

    public async Task<T> WithDbAsync<T>(Func<ConsentryDbContext, Task<T>> action)
    {
        var options = new DbContextOptionsBuilder<ConsentryDbContext>();
        options.UseConsentryDatabase(DatabaseProvider.Postgres, ConnectionString);
        await using var db = new ConsentryDbContext(options.Options);
        return await action(db);
    }

    public async ValueTask DisposeAsync()
    {
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }

        foreach (var instance in _instances)
        {
            if (instance is not null)
            {
                await instance.DisposeAsync();
            }
        }
    }
}
