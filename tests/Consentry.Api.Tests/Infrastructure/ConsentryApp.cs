using System.Net.Http.Headers;
using System.Text;
using Consentry.Core.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Consentry.Api.Tests.Infrastructure;

/// <summary>
/// The real host on its own fresh database (a SQLite file in a temporary folder, or a new PostgreSQL database),
/// with two clients seeded through the bootstrap configuration, as an operator would.
/// </summary>
public class ConsentryApp(DatabaseProvider provider, string? sharedConnectionString = null) : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string PublicBaseUrl = "https://consentry.test";
    public const string AlphaKey = "alpha-test-key-0123456789abcdef";
    public const string BetaKey = "beta-test-key-0123456789abcdef";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "consentry-test-" + Guid.NewGuid().ToString("N")[..10]);
    private string? _connectionString;

    public DatabaseProvider Provider { get; } = provider;

    /// <summary>Where test clients send requests (the in-memory server by default).</summary>
    protected virtual Uri ClientBase => new(PublicBaseUrl);

    /// <summary>Extra settings a test class needs (e.g. a smaller body limit).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        _connectionString = sharedConnectionString
            ?? (Provider == DatabaseProvider.Postgres ? await PostgresServer.CreateDatabaseAsync() : null);
        Start();
    }

    /// <summary>Starts the host (migrations and bootstrap run here): in memory by default.</summary>
    protected virtual void Start() => _ = Server;

    Task IAsyncLifetime.DisposeAsync()
    {
        Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }

        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Time.Dispose(); // stops its pump
            if (Provider == DatabaseProvider.Postgres)
            {
                // The host's connections stay open in Npgsql's pool (kept per connection string, not per host) for minutes
                // after it stops; with dozens of hosts started in a run they would fill the server's max_connections.
                // Clearing closes the idle ones now (a host still running just opens new ones).
                Npgsql.NpgsqlConnection.ClearAllPools();
            }
        }
    }

    /// <summary>A client authenticated as Codat clients are: <c>Authorization: Basic base64(apiKey)</c>.</summary>
    public HttpClient ClientFor(string apiKey)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ClientBase, AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(apiKey)));
        return client;
    }

    public HttpClient Alpha() => ClientFor(AlphaKey);

    public HttpClient Beta() => ClientFor(BetaKey);

    /// <summary>Runs <paramref name="work"/> on the app's own database, unscoped by tenant (for arranging and inspecting state).</summary>
    public async Task<T> WithDbAsync<T>(Func<ConsentryDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ConsentryDbContext>());
    }

    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The app's clock: the real one, which a test can move ahead (<c>Time.Advance</c>).</summary>
    public RunningFakeTime Time { get; } = new();

    /// <summary>Every log line the app writes (at the level the settings allow).</summary>
    public LogCapture Logs { get; } = new();

    public HttpClient Anonymous() =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ClientBase, AllowAutoRedirect = false });

    /// <summary>Replaces services after the app registered its own (e.g. a DNS resolver for the SSRF tests).</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Consentry:DataDirectory"] = _dataDirectory,
            ["Consentry:PublicBaseUrl"] = PublicBaseUrl,
            ["Consentry:Database:Provider"] = Provider.ToString(),
            ["ConnectionStrings:Consentry"] = _connectionString,
            ["Consentry:Bootstrap:Clients:0:Name"] = "Alpha",
            ["Consentry:Bootstrap:Clients:0:ApiKey"] = AlphaKey,
            ["Consentry:Bootstrap:Clients:1:Name"] = "Beta",
            ["Consentry:Bootstrap:Clients:1:ApiKey"] = BetaKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Time));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(ConfigureTestServices);
    }
}

public sealed class SqliteApp() : ConsentryApp(DatabaseProvider.Sqlite);

public sealed class PostgresApp() : ConsentryApp(DatabaseProvider.Postgres);
