using System.Net;
using System.Net.Http.Headers;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Persistence;
using Consentry.Core.Sync;
using Consentry.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Api.Tests.Cluster;

/// <summary>
/// Two Consentry processes (the built Consentry.dll, so one can be SIGKILLed) on one database, SQLite (one file, as
/// two processes on one host share it) or PostgreSQL, with a standalone sandbox and a webhook endpoint that records
/// attempts as intervals. Every lease and poll setting is the default, so the tests measure what an operator gets.
/// </summary>
public sealed class InstancePair : IAsyncDisposable
{
    public const string Key = "crash-recovery-key-0123456789abcdef";

    /// <summary>The default lease (Consentry:Sync:LeaseSeconds, Consentry:Webhooks:LeaseSeconds).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    private readonly ConsentryProcess?[] _instances = new ConsentryProcess?[2];
    private readonly int[] _ports;
    private readonly Dictionary<string, string> _environment;
    private readonly DatabaseProvider _provider;
    private readonly string _connectionString;

    private InstancePair(DatabaseProvider provider, string connectionString, int[] ports, Dictionary<string, string> environment, StandaloneSandbox sandbox, AttemptReceiver receiver)
    {
        _provider = provider;
        _connectionString = connectionString;
        _ports = ports;
        _environment = environment;
        Sandbox = sandbox;
        Receiver = receiver;
    }

    public StandaloneSandbox Sandbox { get; }

    public AttemptReceiver Receiver { get; }

    public static async Task<InstancePair> StartAsync(DatabaseProvider provider)
    {
        var ports = new[] { ConsentryProcess.FreePort(), ConsentryProcess.FreePort() };
        var sandbox = await StandaloneSandbox.StartAsync([.. ports.Select(Origin)]);
        var receiver = await AttemptReceiver.StartAsync();
        var directory = Path.Combine(Path.GetTempPath(), "consentry-recovery-" + Guid.NewGuid().ToString("N")[..8]);
        var environment = new Dictionary<string, string>
        {
            ["Consentry__Bootstrap__ApiKey"] = Key,
            ["Consentry__Sandbox__BaseUrl"] = sandbox.BaseUrl,
            ["Consentry__Webhooks__AllowPrivateNetworks"] = "true",
            // A slow endpoint must not time out while the test holds it: the lease, not the timeout, is under test.
            ["Consentry__Webhooks__TimeoutSeconds"] = "120",
            ["Consentry__Sync__PageSize"] = "10",
            ["Consentry__DataDirectory"] = directory,
        };
        string connectionString;
        if (provider == DatabaseProvider.Postgres)
        {
            connectionString = await PostgresServer.CreateDatabaseAsync();
            environment["Consentry__Database__Provider"] = "Postgres";
            environment["ConnectionStrings__Consentry"] = connectionString;
        }
        else
        {
            connectionString = $"Data Source={Path.Combine(directory, "consentry.db")}";
        }

        return new InstancePair(provider, connectionString, ports, environment, sandbox, receiver);
    }

    public static string Origin(int port) => $"http://localhost:{port}";

    public string OriginOf(int index) => Origin(_ports[index]);

    public async Task<ConsentryProcess> StartInstanceAsync(int index)
    {
        var environment = new Dictionary<string, string>(_environment) { ["Consentry__PublicBaseUrl"] = OriginOf(index) };
        return _instances[index] = await ConsentryProcess.StartAsync(environment, _ports[index]);
    }

    /// <summary>SIGKILL: no shutdown, leases left behind; returns when the process is gone.</summary>
    public DateTimeOffset Kill(int index)
    {
        _instances[index]!.Kill();
        _instances[index] = null;
        return DateTimeOffset.UtcNow;
    }

    /// <summary>How an instance's lease tokens begin (<c>{host}/{pid}/</c>).</summary>
    public static string Prefix(ConsentryProcess instance) => $"{Environment.MachineName}/{instance.ProcessId}/";

    public HttpClient Api(int index)
    {
        var client = new HttpClient { BaseAddress = new Uri(OriginOf(index)) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Key)));
        return client;
    }

    /// <summary>A Link journey through instance <paramref name="index"/>; its first read is queued as it links.</summary>
    public async Task<string> LinkAsync(int index, string user)
    {
        var api = Api(index);
        var companyId = await api.CreateCompanyAsync("Recovery Ltd");
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "sbac" }).ExpectAsync(HttpStatusCode.OK);
        using var browser = new LinkBrowser(new Uri(OriginOf(index)));
        browser.AlsoFollow.Add(new Uri(Sandbox.BaseUrl).GetLeftPart(UriPartial.Authority));
        await browser.GoAsync(new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
        await browser.SubmitAsync("handler=Continue");
        await browser.SubmitAsync("/oauth/login", new() { ["username"] = user, ["password"] = "pass_good" });
        await browser.SubmitAsync("/oauth/consent/accept");
        return companyId;
    }

    public Task<List<Dataset>> DatasetsAsync(string companyId)
    {
        var company = Guid.Parse(companyId);
        return WithDbAsync(db => db.Datasets.IgnoreQueryFilters().AsNoTracking().Where(d => d.CompanyId == company).ToListAsync());
    }

    public async Task<T> WithDbAsync<T>(Func<ConsentryDbContext, Task<T>> action)
    {
        var options = new DbContextOptionsBuilder<ConsentryDbContext>();
        options.UseConsentryDatabase(_provider, _connectionString);
        await using var db = new ConsentryDbContext(options.Options);
        return await action(db);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            if (instance is not null)
            {
                await instance.DisposeAsync();
            }
        }

        await Receiver.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
